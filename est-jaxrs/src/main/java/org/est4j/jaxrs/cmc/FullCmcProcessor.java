package org.est4j.jaxrs.cmc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.PendInfo;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;

import org.est4j.jaxrs.ClientText;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaException;
import org.est4j.spi.CaOperationNotSupportedException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.jaxrs.events.RequestContext;
import org.est4j.spi.Pending;
import org.est4j.spi.RevocationRequest;
import org.est4j.spi.UnknownLabelException;

/**
 * The {@code /fullcmc} operation (RFC 7030 section 4.3): answers a Full PKI Request (RFC 5272) with
 * a signed Full PKI Response.
 *
 * <p>Only a body that is not a SignedData of a PKIData is an HTTP error (400, thrown as
 * {@link EstProtocolException}). Everything else, including a signature that does not verify and
 * refusals by the CA, is a CMC status inside a signed response that the caller sends with HTTP 200.
 *
 * <p>What it does with a PKIData:
 * <ul>
 *   <li>verifies every SignerInfo (failure: {@code badMessageCheck} for the whole message, bodyPartID 0);</li>
 *   <li>echoes {@code transactionId}, answers {@code senderNonce} with {@code recipientNonce} and always
 *       sends a fresh {@code senderNonce};</li>
 *   <li>hands {@code revokeRequest} controls to {@link CaService#revoke};</li>
 *   <li>enrolls each PKCS#10 ({@code tcr}) and CRMF ({@code crm}) request through {@link CaService#enroll},
 *       returning issued certificates in the SignedData's certificates;</li>
 *   <li>refuses every other control with {@code unsupportedExt}. CMC has no criticality flag: a server
 *       that does not implement a control cannot know whether the client relies on it (RFC 5272
 *       section 3.2.1.2.1), so while any control is refused no request or revocation of the message
 *       is carried out.</li>
 * </ul>
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class FullCmcProcessor {

    private static final System.Logger LOG = System.getLogger(FullCmcProcessor.class.getName());

    private static final int NONCE_BYTES = 16;
    private static final int PEND_TOKEN_BYTES = 16;

    private static final String NO_SHARED_SECRET =
            "est4j authenticates clients by TLS or HTTP and has no CMC shared secret";

    /** Names of the RFC 5272/6402 controls, so that a status says which control in words. */
    private static final Map<ASN1ObjectIdentifier, String> CONTROL_NAMES = Map.ofEntries(
            Map.entry(CMCObjectIdentifiers.id_cmc_transactionId, "transactionId"),
            Map.entry(CMCObjectIdentifiers.id_cmc_senderNonce, "senderNonce"),
            Map.entry(CMCObjectIdentifiers.id_cmc_recipientNonce, "recipientNonce"),
            Map.entry(CMCObjectIdentifiers.id_cmc_revokeRequest, "revokeRequest"),
            Map.entry(CMCObjectIdentifiers.id_cmc_identification, "identification"),
            Map.entry(CMCObjectIdentifiers.id_cmc_identityProof, "identityProof"),
            Map.entry(CMCObjectIdentifiers.id_cmc_identityProofV2, "identityProofV2"),
            Map.entry(CMCObjectIdentifiers.id_cmc_dataReturn, "dataReturn"),
            Map.entry(CMCObjectIdentifiers.id_cmc_regInfo, "regInfo"),
            Map.entry(CMCObjectIdentifiers.id_cmc_responseInfo, "responseInfo"),
            Map.entry(CMCObjectIdentifiers.id_cmc_queryPending, "queryPending"),
            Map.entry(CMCObjectIdentifiers.id_cmc_popLinkRandom, "popLinkRandom"),
            Map.entry(CMCObjectIdentifiers.id_cmc_popLinkWitness, "popLinkWitness"),
            Map.entry(CMCObjectIdentifiers.id_cmc_popLinkWitnessV2, "popLinkWitnessV2"),
            Map.entry(CMCObjectIdentifiers.id_cmc_statusInfo, "statusInfo"),
            Map.entry(CMCObjectIdentifiers.id_cmc_statusInfoV2, "statusInfoV2"),
            Map.entry(CMCObjectIdentifiers.id_cmc_addExtensions, "addExtensions"),
            Map.entry(CMCObjectIdentifiers.id_cmc_encryptedPOP, "encryptedPOP"),
            Map.entry(CMCObjectIdentifiers.id_cmc_decryptedPOP, "decryptedPOP"),
            Map.entry(CMCObjectIdentifiers.id_cmc_lraPOPWitness, "lraPOPWitness"),
            Map.entry(CMCObjectIdentifiers.id_cmc_getCert, "getCert"),
            Map.entry(CMCObjectIdentifiers.id_cmc_getCRL, "getCRL"),
            Map.entry(CMCObjectIdentifiers.id_cmc_confirmCertAcceptance, "confirmCertAcceptance"),
            Map.entry(CMCObjectIdentifiers.id_cmc_trustedAnchors, "publishTrustAnchors"),
            Map.entry(CMCObjectIdentifiers.id_cmc_authData, "authData"),
            Map.entry(CMCObjectIdentifiers.id_cmc_batchRequests, "batchRequests"),
            Map.entry(CMCObjectIdentifiers.id_cmc_batchResponses, "batchResponses"),
            Map.entry(CMCObjectIdentifiers.id_cmc_publishCert, "publishCert"),
            Map.entry(CMCObjectIdentifiers.id_cmc_modCertTemplate, "modCertTemplate"),
            Map.entry(CMCObjectIdentifiers.id_cmc_controlProcessed, "controlProcessed"));

    private static final Set<ASN1ObjectIdentifier> IDENTITY_CONTROLS = Set.of(
            CMCObjectIdentifiers.id_cmc_identification,
            CMCObjectIdentifiers.id_cmc_identityProof,
            CMCObjectIdentifiers.id_cmc_identityProofV2);

    /** The operation name of full CMC enrollments in events and the audit trail. */
    private static final String OPERATION = "fullcmc";

    private final CaService ca;
    private final ResponseSigner signer;
    private final Clock clock;
    private final EstEvents events;
    private final SecureRandom random = new SecureRandom();

    public FullCmcProcessor(CaService ca, ResponseSigner signer) {
        this(ca, signer, EstEvents.NONE);
    }

    /** A processor that reports each body part's decision (issued, queued, refused) to {@code events}. */
    public FullCmcProcessor(CaService ca, ResponseSigner signer, EstEvents events) {
        this(ca, signer, Clock.systemUTC(), events);
    }

    FullCmcProcessor(CaService ca, ResponseSigner signer, Clock clock) {
        this(ca, signer, clock, EstEvents.NONE);
    }

    private FullCmcProcessor(CaService ca, ResponseSigner signer, Clock clock, EstEvents events) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Processes one Full PKI Request.
     *
     * @param label  the CA label from the request path, empty for the default CA
     * @param der    the decoded request body: the DER of a CMS ContentInfo
     * @param client the authenticated HTTP client
     * @return the DER of the signed response ContentInfo
     * @throws EstProtocolException  (400) when {@code der} is not a SignedData of a PKIData
     * @throws UnknownLabelException when the CA does not serve {@code label}
     */
    public byte[] process(Optional<String> label, byte[] der, AuthenticatedClient client) throws UnknownLabelException {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
        SignedPkiData message = SignedPkiData.parse(der);
        PKIData pkiData = message.pkiData();
        CmcResponseBuilder response = new CmcResponseBuilder();
        Controls controls = Controls.read(pkiData.getControlSequence());

        try {
            message.verifySignature();
            checkBodyPartIds(pkiData);
        } catch (CmcFailure f) {
            LOG.log(Level.INFO, "fullcmc: refused a message from {0}: {1}", client.remoteAddress(), ClientText.quote(f.statusString()));
            response.failure(f, CmcResponseBuilder.WHOLE_MESSAGE);
            // The transactionId and nonce are echoed even though unverified: they only let the client
            // match this failure to its request, and grant nothing.
            return finish(response, controls);
        }

        TaggedRequest[] requests = pkiData.getReqSequence();
        if (!controls.refused.isEmpty()) {
            for (Refused refused : controls.refused) {
                response.failure(refused.failure, refused.bodyPart);
            }
            String notProcessed = "not processed: the message contains a control that est4j refused (bodyPartID "
                    + controls.refused.get(0).bodyPart + ")";
            for (TaggedAttribute revocation : controls.revocations) {
                response.failure(CMCFailInfo.badRequest, notProcessed, revocation.getBodyPartID().getID());
            }
            for (TaggedRequest request : requests) {
                response.failure(CMCFailInfo.badRequest, notProcessed, CmcRequestDecoder.bodyPartId(request));
            }
        } else {
            for (TaggedAttribute revocation : controls.revocations) {
                revoke(label, revocation, client, response);
            }
            for (int i = 0; i < requests.length; i++) {
                enroll(label, requests[i], message.requestDer(i), client, response);
            }
        }
        for (TaggedContentInfo nested : pkiData.getCmsSequence()) {
            response.failure(CMCFailInfo.badRequest, "nested CMS content (cmsSequence) is not supported",
                    nested.getBodyPartID().getID());
        }
        for (OtherMsg other : pkiData.getOtherMsgSequence()) {
            response.failure(CMCFailInfo.badRequest, "other messages (otherMsgSequence) are not supported",
                    other.getBodyPartID().getID());
        }
        return finish(response, controls);
    }

    private byte[] finish(CmcResponseBuilder response, Controls controls) {
        if (controls.transactionId != null) {
            response.control(CMCObjectIdentifiers.id_cmc_transactionId, controls.transactionId);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        response.control(CMCObjectIdentifiers.id_cmc_senderNonce, new DEROctetString(nonce));
        if (controls.senderNonce != null) {
            response.control(CMCObjectIdentifiers.id_cmc_recipientNonce, controls.senderNonce);
        }
        return response.sign(signer);
    }

    /** RFC 5272 section 3.2.2: body part identifiers are unique within a PKIData, and 0 designates the PKIData. */
    private static void checkBodyPartIds(PKIData pkiData) throws CmcFailure {
        List<Long> ids = new ArrayList<>();
        try {
            for (TaggedAttribute control : pkiData.getControlSequence()) {
                ids.add(control.getBodyPartID().getID());
            }
            for (TaggedRequest request : pkiData.getReqSequence()) {
                ids.add(CmcRequestDecoder.bodyPartId(request));
            }
            for (TaggedContentInfo nested : pkiData.getCmsSequence()) {
                ids.add(nested.getBodyPartID().getID());
            }
            for (OtherMsg other : pkiData.getOtherMsgSequence()) {
                ids.add(other.getBodyPartID().getID());
            }
        } catch (RuntimeException e) {
            throw CmcFailure.badRequest("a body part of the PKIData has a malformed bodyPartID");
        }
        Set<Long> seen = new HashSet<>();
        for (long id : ids) {
            if (id == CmcResponseBuilder.WHOLE_MESSAGE) {
                throw CmcFailure.badRequest("bodyPartID 0 is reserved for the PKIData itself (RFC 5272 section 3.2.2)");
            }
            if (!seen.add(id)) {
                throw CmcFailure.badRequest("bodyPartID " + id + " is used by more than one body part of the PKIData");
            }
        }
    }

    private void enroll(Optional<String> label, TaggedRequest request, byte[] der, AuthenticatedClient client,
                        CmcResponseBuilder response) throws UnknownLabelException {
        long id = CmcRequestDecoder.bodyPartId(request);
        CertificationRequest csr = null;
        try {
            csr = CmcRequestDecoder.decode(request, der, client);
            EnrollmentResult result = ca.enroll(new EnrollmentRequest(label, csr, client));
            if (result instanceof Issued issued) {
                LOG.log(Level.INFO, "fullcmc: issued serial {0} to {1} for client {2} (bodyPartID {3})",
                        issued.certificate().getSerialNumber().toString(16),
                        ClientText.quote(issued.certificate().getSubjectX500Principal().getName()), client.remoteAddress(), id);
                response.success(id);
                response.certificates(issued.certificate(), issued.chain());
                // the reply is a 200 whatever each body part's outcome: the CMC status says the rest
                events.decided(Decision.onRequest(Decision.Outcome.ISSUED, OPERATION, label, client, csr, issued.certificate(), 200, null));
            } else if (result instanceof Pending pending) {
                long seconds = pending.retryAfterSeconds();
                LOG.log(Level.INFO, "fullcmc: pending for client {0} (bodyPartID {1}), retry after {2} s",
                        client.remoteAddress(), id, seconds);
                PendInfo pendInfo = new PendInfo(pendToken(der),
                        new ASN1GeneralizedTime(Date.from(clock.instant().plusSeconds(seconds))));
                response.pending(pendInfo, "the request awaits approval; repeat it after " + seconds + " s", id);
                events.decided(Decision.onRequest(Decision.Outcome.QUEUED, OPERATION, label, client, csr, null, 200, null));
            }
        } catch (CmcFailure f) {
            LOG.log(Level.INFO, "fullcmc: refused request {0} from {1}: {2}", id, client.remoteAddress(), ClientText.quote(f.statusString()));
            response.failure(f, id);
            events.decided(Decision.onRequest(Decision.Outcome.REFUSED, OPERATION, label, client, csr, null, 200, f.statusString()));
        } catch (UnknownLabelException e) {
            throw e;
        } catch (CaException e) {
            CmcFailure f = fromCa(e, "enrollment");
            response.failure(f, id);
            events.decided(Decision.onRequest(Decision.Outcome.REFUSED, OPERATION, label, client, csr, null, 200, f.statusString()));
        }
    }

    /** A token that names the request in a later query: the first 16 bytes of SHA-256 over its DER. */
    private static byte[] pendToken(byte[] der) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(der), PEND_TOKEN_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void revoke(Optional<String> label, TaggedAttribute control, AuthenticatedClient client,
                        CmcResponseBuilder response) throws UnknownLabelException {
        long id = control.getBodyPartID().getID();
        try {
            RevocationRequest request = revocationRequest(label, control, client);
            ca.revoke(request);
            LOG.log(Level.INFO, "fullcmc: revoked serial {0} of {1} (reason {2}) for client {3}",
                    request.serialNumber().toString(16), ClientText.quote(request.issuer().getName()), request.reason(), client.remoteAddress());
            response.success(id);
        } catch (CmcFailure f) {
            response.failure(f, id);
        } catch (UnknownLabelException e) {
            throw e;
        } catch (CaException e) {
            response.failure(fromCa(e, "revocation"), id);
        }
    }

    private static RevocationRequest revocationRequest(Optional<String> label, TaggedAttribute control,
                                                       AuthenticatedClient client) throws CmcFailure {
        RevokeRequest revoke;
        X500Principal issuer;
        try {
            revoke = RevokeRequest.getInstance(Controls.single(control));
            issuer = new X500Principal(revoke.getName().getEncoded(ASN1Encoding.DER));
        } catch (IOException | RuntimeException e) {
            throw CmcFailure.badRequest("the revokeRequest control is malformed (RFC 5272 section 6.11)");
        }
        // The passphrase is a shared secret of RFC 5272's own: est4j does not use it, and never logs it.
        BigInteger reasonCode = revoke.getReason().getValue();
        if (reasonCode.bitLength() > 31) {
            throw CmcFailure.badRequest("the revokeRequest reason " + reasonCode + " is not a CRLReason code of RFC 5280");
        }
        Optional<Instant> invalidityDate = Optional.empty();
        if (revoke.getInvalidityDate() != null) {
            try {
                invalidityDate = Optional.of(revoke.getInvalidityDate().getDate().toInstant());
            } catch (ParseException e) {
                throw CmcFailure.badRequest("the revokeRequest invalidityDate is not a valid GeneralizedTime");
            }
        }
        Optional<String> comment;
        try {
            comment = Optional.ofNullable(revoke.getCommentUTF8()).map(c -> c.getString());
        } catch (IllegalArgumentException e) {
            throw CmcFailure.badRequest("the revokeRequest comment is not valid UTF-8");
        }
        try {
            return new RevocationRequest(label, issuer, revoke.getSerialNumber(), reasonCode.intValue(),
                    invalidityDate, comment, client);
        } catch (IllegalArgumentException e) {
            throw CmcFailure.badRequest("the revokeRequest reason " + reasonCode + " is not a CRLReason code of RFC 5280");
        }
    }

    /** The CMC rendering of a CA refusal; the SPI's exception messages are written for the client. */
    private static CmcFailure fromCa(CaException e, String operation) {
        if (e instanceof CsrRejectedException) {
            return new CmcFailure(CMCFailInfo.badRequest, e.getMessage());
        }
        if (e instanceof EnrollmentForbiddenException) {
            return new CmcFailure(CMCFailInfo.badIdentity, e.getMessage());
        }
        if (e instanceof CaOperationNotSupportedException) {
            return new CmcFailure(CMCFailInfo.unsupportedExt, e.getMessage());
        }
        if (e instanceof CaUnavailableException) {
            RequestContext.caFailed();
            return new CmcFailure(CMCFailInfo.tryLater, e.getMessage());
        }
        RequestContext.caFailed();
        if (e instanceof org.est4j.spi.CaUpstreamException) {
            return new CmcFailure(CMCFailInfo.internalCAError, e.getMessage()); // written for the client, like the 502 reason
        }
        LOG.log(Level.ERROR, "fullcmc: the CA failed during " + operation, e);
        return new CmcFailure(CMCFailInfo.internalCAError, "the CA could not process the " + operation
                + "; the server log has the details");
    }

    private record Refused(long bodyPart, CmcFailure failure) {
    }

    /** The controlSequence, sorted into what est4j echoes, what it executes and what it refuses. */
    private static final class Controls {
        ASN1Integer transactionId;
        ASN1OctetString senderNonce;
        final List<TaggedAttribute> revocations = new ArrayList<>();
        final List<Refused> refused = new ArrayList<>();

        static Controls read(TaggedAttribute[] sequence) {
            Controls controls = new Controls();
            for (TaggedAttribute control : sequence) {
                long id = control.getBodyPartID().getID();
                ASN1ObjectIdentifier type = control.getAttrType();
                try {
                    if (CMCObjectIdentifiers.id_cmc_transactionId.equals(type)) {
                        if (controls.transactionId != null) {
                            throw CmcFailure.badRequest("the PKIData carries more than one transactionId control");
                        }
                        controls.transactionId = ASN1Integer.getInstance(single(control));
                    } else if (CMCObjectIdentifiers.id_cmc_senderNonce.equals(type)) {
                        if (controls.senderNonce != null) {
                            throw CmcFailure.badRequest("the PKIData carries more than one senderNonce control");
                        }
                        controls.senderNonce = ASN1OctetString.getInstance(single(control));
                    } else if (CMCObjectIdentifiers.id_cmc_recipientNonce.equals(type)) {
                        // Answers a nonce of an earlier response; est4j keeps no state between messages.
                        continue;
                    } else if (CMCObjectIdentifiers.id_cmc_revokeRequest.equals(type)) {
                        controls.revocations.add(control);
                    } else if (IDENTITY_CONTROLS.contains(type)) {
                        throw CmcFailure.unsupportedExt("the " + name(type) + " control is not supported: " + NO_SHARED_SECRET);
                    } else {
                        throw CmcFailure.unsupportedExt("the CMC control " + name(type) + " is not supported by est4j");
                    }
                } catch (CmcFailure f) {
                    controls.refused.add(new Refused(id, f));
                } catch (IllegalArgumentException e) {
                    controls.refused.add(new Refused(id, CmcFailure.badRequest(
                            "the " + name(type) + " control has a value of the wrong type (RFC 5272 section 6)")));
                }
            }
            return controls;
        }

        /** CMC controls carry exactly one value in their SET (RFC 5272 section 3.2.1.2.1). */
        static ASN1Encodable single(TaggedAttribute control) throws CmcFailure {
            if (control.getAttrValues().size() != 1) {
                throw CmcFailure.badRequest("the " + name(control.getAttrType()) + " control must have exactly one value");
            }
            return control.getAttrValues().getObjectAt(0);
        }

        private static String name(ASN1ObjectIdentifier type) {
            String name = CONTROL_NAMES.get(type);
            return name == null ? type.getId() : name + " (" + type.getId() + ")";
        }
    }
}
