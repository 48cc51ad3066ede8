package org.est4j.war.cmp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.CaException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CaUpstreamException;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;

/**
 * The EST answer to a CMP refusal (a {@code rejection} status or an {@code error} message, RFC 9810 section 5.2.3):
 * what the client can fix is 400, what it may not have is 403, an upstream that is busy is 503, and a failure of the
 * CMP exchange itself (a MAC, a nonce, an unknown signer, the upstream's own failure) is 502: the client can do
 * nothing about those. The reason carries the upstream's statusString, escaped, and the failInfo names.
 */
final class CmpStatus {

    /** PKIFailureInfo's bits in order (RFC 9810 section 5.2.3). */
    static final List<String> FAIL_INFO = List.of("badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
            "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp", "badPOP", "certRevoked", "certConfirmed",
            "wrongIntegrity", "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy", "unacceptedExtension",
            "addInfoNotAvailable", "badSenderNonce", "badCertTemplate", "signerNotTrusted", "transactionIdInUse",
            "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure", "duplicateCertReq");

    /** The request itself is wrong: the client can send a better one. */
    private static final List<String> CLIENT = List.of("badAlg", "badRequest", "badCertId", "badDataFormat", "incorrectData",
            "badPOP", "certRevoked", "unacceptedPolicy", "unacceptedExtension", "badCertTemplate", "duplicateCertReq");
    private static final List<String> BUSY = List.of("systemUnavail", "transactionIdInUse", "timeNotAvailable");

    /** How long a client waits after the upstream said it is unavailable, when it did not say. */
    private final Duration retryAfter;

    CmpStatus(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** The names of the bits set in {@code failInfo}, in order; none for null. */
    static List<String> failInfoNames(ASN1BitString failInfo) {
        List<String> names = new ArrayList<>();
        if (failInfo == null) {
            return names;
        }
        byte[] bytes = failInfo.getBytes();
        for (int bit = 0; bit < bytes.length * 8 - failInfo.getPadBits(); bit++) {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                names.add(bit < FAIL_INFO.size() ? FAIL_INFO.get(bit) : "bit" + bit);
            }
        }
        return names;
    }

    /** The upstream's statusString, one escaped line; empty when it gave none. */
    static String text(PKIFreeText text) {
        if (text == null || text.size() == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            parts.add(text.getStringAtUTF8(i).getString());
        }
        return ClientText.quote(String.join("; ", parts), 200);
    }

    /** The exception that answers the refusal {@code status} to the EST client. */
    CaException refusal(PKIStatusInfo status) {
        List<String> failures = failInfoNames(status.getFailInfo());
        String said = text(status.getStatusString());
        String reason = "the upstream CA refused the request" + (failures.isEmpty() ? "" : " (" + String.join(", ", failures) + ")")
                + (said.isEmpty() ? "" : ": " + said);
        if (failures.stream().anyMatch(f -> !CLIENT.contains(f) && !BUSY.contains(f) && !f.equals("notAuthorized"))) {
            return new CaUpstreamException(reason);
        }
        if (failures.stream().anyMatch(BUSY::contains)) {
            return new CaUnavailableException(reason, retryAfter, null);
        }
        if (failures.contains("notAuthorized") || failures.isEmpty()) {
            return new EnrollmentForbiddenException(reason);
        }
        return new CsrRejectedException(reason);
    }
}
