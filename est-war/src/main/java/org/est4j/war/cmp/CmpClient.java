package org.est4j.war.cmp;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.GeneralPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;

import org.est4j.spi.CaException;
import org.est4j.spi.CaUpstreamException;

/**
 * One CMP request/response exchange with the upstream, and the checks every response must pass before est4j reads
 * its body (RFC 9483 section 3.5): it parses as a PKIMessage, its protection verifies ({@link CmpProtection}), its
 * transactionID is the request's and its recipNonce is the request's senderNonce. An {@code error} body becomes the
 * EST refusal {@link CmpStatus} says.
 */
final class CmpClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CmpTransport transport;
    private final CmpProtection protection;
    private final GeneralName recipient;
    private final CmpStatus status;

    CmpClient(CmpTransport transport, CmpProtection protection, GeneralName recipient, CmpStatus status) {
        this.transport = transport;
        this.protection = protection;
        this.recipient = recipient;
        this.status = status;
    }

    /**
     * Where a transaction stands between two exchanges: its id and the upstream's last senderNonce, which the next
     * request must return as its recipNonce.
     */
    record Transaction(byte[] id, byte[] serverNonce) {
        Transaction {
            id = id.clone();
            serverNonce = serverNonce.clone();
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        @Override
        public byte[] serverNonce() {
            return serverNonce.clone();
        }
    }

    /** A verified response and the transaction as it stands after it. */
    record Reply(ProtectedPKIMessage message, Transaction transaction) {
        PKIBody body() {
            return message.getBody();
        }

        /** Whether the upstream granted implicit confirmation (RFC 9483 section 4.1.1). */
        boolean implicitConfirmGranted() {
            InfoTypeAndValue[] info = message.getHeader().getGeneralInfo();
            return info != null && Arrays.stream(info).anyMatch(i -> CMPObjectIdentifiers.it_implicitConfirm.equals(i.getInfoType()));
        }
    }

    /** Starts a new transaction with {@code body}; asks for implicit confirmation when {@code implicitConfirm}. */
    Reply start(PKIBody body, boolean implicitConfirm) throws CaException {
        return send(random(16), null, body, implicitConfirm);
    }

    /** Continues {@code transaction} with {@code body} (pollReq, certConf). */
    Reply next(Transaction transaction, PKIBody body) throws CaException {
        return send(transaction.id(), transaction.serverNonce(), body, false);
    }

    private Reply send(byte[] transactionId, byte[] recipNonce, PKIBody body, boolean implicitConfirm) throws CaException {
        byte[] nonce = random(16);
        ProtectedPKIMessageBuilder builder = new ProtectedPKIMessageBuilder(PKIHeader.CMP_2000, protection.sender(), recipient)
                .setTransactionID(transactionId).setSenderNonce(nonce).setMessageTime(new Date()).setBody(body);
        if (recipNonce != null) {
            builder.setRecipNonce(recipNonce);
        }
        if (implicitConfirm) {
            builder.addGeneralInfo(new InfoTypeAndValue(CMPObjectIdentifiers.it_implicitConfirm, DERNull.INSTANCE));
        }
        byte[] der;
        try {
            der = protection.protect(builder).toASN1Structure().getEncoded();
        } catch (IOException e) {
            throw new CaUpstreamException("est4j could not encode its CMP request", e);
        }
        return check(transport.exchange(der), transactionId, nonce);
    }

    /** The response {@code der} to a request of {@code transactionId} and {@code nonce}, verified. */
    Reply check(byte[] der, byte[] transactionId, byte[] nonce) throws CaException {
        GeneralPKIMessage general;
        try {
            general = new GeneralPKIMessage(der);
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new CaUpstreamException("the upstream CA's response is not a CMP message", e);
        }
        if (!general.hasProtection()) {
            String said = "";
            try {
                if (general.getBody().getType() == PKIBody.TYPE_ERROR) {
                    said = " (an unprotected error, not trusted: " + CmpStatus.text(ErrorMsgContent.getInstance(
                            general.getBody().getContent()).getPKIStatusInfo().getStatusString()) + ")";
                }
            } catch (RuntimeException e) {
                said = " (an unprotected, malformed error)";
            }
            throw new CaUpstreamException("the upstream CA's response is not protected" + said);
        }
        ProtectedPKIMessage response = new ProtectedPKIMessage(general);
        protection.verify(response);
        PKIHeader header = response.getHeader();
        if (header.getTransactionID() == null || !Arrays.equals(header.getTransactionID().getOctets(), transactionId)) {
            throw new CaUpstreamException("the upstream CA's response belongs to another transaction (transactionID differs)");
        }
        if (header.getRecipNonce() == null || !Arrays.equals(header.getRecipNonce().getOctets(), nonce)) {
            throw new CaUpstreamException("the upstream CA's response does not answer est4j's request (recipNonce differs)");
        }
        if (header.getSenderNonce() == null || header.getSenderNonce().getOctets().length < 16) {
            throw new CaUpstreamException("the upstream CA's response has no senderNonce of at least 128 bits");
        }
        if (response.getBody().getType() == PKIBody.TYPE_ERROR) {
            PKIStatusInfo info;
            try {
                info = ErrorMsgContent.getInstance(response.getBody().getContent()).getPKIStatusInfo();
            } catch (RuntimeException e) {
                throw new CaUpstreamException("the upstream CA answered with a malformed error message", e);
            }
            throw status.refusal(info);
        }
        return new Reply(response, new Transaction(transactionId, header.getSenderNonce().getOctets()));
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
