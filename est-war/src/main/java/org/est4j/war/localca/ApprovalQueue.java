package org.est4j.war.localca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.spi.AuthenticatedClient;

/**
 * Requests of one local CA that wait for a person (RFC 7030 sections 3.7 and 4.2.3): every request of a
 * CA with {@code approval = manual}, and requests whose authentication was incomplete on a label that
 * queues them. The client gets 202 and repeats the same request; once an administrator has approved
 * it, the repetition is issued, by whichever instance it reaches.
 *
 * <p>Kept as files in {@code EST_HOME} ({@link FileApprovalQueue}) or in a shared database. Either way a crash or a
 * restart loses nothing, and an approval is used once.
 *
 * <p>The id is a digest of the client's identity and the request's DER: the same client repeating the
 * same request finds its entry, and nobody else can claim it with another key or from another identity.
 */
public interface ApprovalQueue {

    /** Where a request stands. */
    enum State { NONE, PENDING, APPROVED, REJECTED }

    /** One queued request as the administrator sees it. */
    record Entry(String id, State state, Map<String, String> details) {
    }

    /** The issuance run by {@link #issueIfApproved}. */
    @FunctionalInterface
    interface Issuer<T> {
        IssuedRecord<T> issue() throws IOException;
    }

    /** What {@link Issuer} returns: the result and the serial to record. */
    record IssuedRecord<T>(T result, String serialHex) {
    }

    /** The state of {@code id}. */
    State state(String id) throws IOException;

    /** Queues a request (a no-op when it is queued already). */
    void submit(String id, Map<String, String> details) throws IOException;

    /**
     * Runs {@code issue} if {@code id} is approved, then marks the approval used, so that two repetitions of an
     * approved request (on any instance) issue one certificate.
     *
     * @return the issuer's result, or empty when the request is not (or no longer) approved
     */
    <T> Optional<T> issueIfApproved(String id, Issuer<T> issue) throws IOException;

    /** Every request that waits for a decision or was rejected, oldest first. */
    List<Entry> list() throws IOException;

    /**
     * Approves a queued request: the client's next repetition is issued.
     *
     * @throws IllegalArgumentException when there is no such request or it was decided already
     */
    void approve(String id, String by, String note) throws IOException;

    /** Rejects a queued request: the client's repetitions get 403. Same refusals as {@link #approve}. */
    void reject(String id, String by, String note) throws IOException;

    /** The id of {@code csrDer} from {@code client}: 32 hex digits. */
    static String idOf(AuthenticatedClient client, byte[] csrDer) {
        StringBuilder identity = new StringBuilder();
        client.certificate().ifPresent(c -> identity.append("tls:").append(fingerprint(c)).append('|'));
        client.username().ifPresent(u -> identity.append("user:").append(u).append('|'));
        client.unverified().ifPresent(u -> {
            if (!u.presentedChain().isEmpty()) {
                identity.append("unverified-tls:").append(fingerprint(u.presentedChain().get(0))).append('|');
            }
            u.claimedUsername().ifPresent(n -> identity.append("unverified-user:").append(n).append('|'));
        });
        MessageDigest sha256 = sha256();
        sha256.update(identity.toString().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(csrDer);
        return HexFormat.of().formatHex(sha256.digest(), 0, 16);
    }

    /** Whether {@code id} has the form of {@link #idOf}'s ids. */
    static boolean isId(String id) {
        return id.matches("[0-9a-f]{32}");
    }

    /** A human-readable description of the client, for the administrator. */
    static String describe(AuthenticatedClient client) {
        List<String> parts = new ArrayList<>();
        client.certificate().ifPresent(c -> parts.add("TLS certificate " + c.getSubjectX500Principal().getName()
                + " (issuer " + c.getIssuerX500Principal().getName() + ", SHA-256 " + fingerprint(c) + ")"));
        client.username().ifPresent(u -> parts.add("HTTP user " + u));
        client.unverified().ifPresent(u -> {
            if (!u.presentedChain().isEmpty()) {
                X509Certificate c = u.presentedChain().get(0);
                parts.add("UNVERIFIED TLS certificate " + c.getSubjectX500Principal().getName() + " (issuer "
                        + c.getIssuerX500Principal().getName() + ", SHA-256 " + fingerprint(c) + ")");
            }
            u.claimedUsername().ifPresent(n -> parts.add("UNKNOWN HTTP user " + n));
        });
        return String.join("; ", parts);
    }

    /** Detail key: the authentication methods that succeeded ({@code tls-client-certificate, http-basic}), empty for none. */
    String PROVEN_BY = "proven-by";
    /** Detail key: the subject of the client's validated TLS certificate, when it had one. */
    String VERIFIED_SUBJECT = "verified-subject";
    /** Detail key: what the client presented that no authentication proved (a certificate, a user name), or empty. */
    String UNVERIFIED_CLIENT = "unverified-client";

    /**
     * How {@code client} was identified, as details of its queued request: which identity is proven and which is only
     * claimed, so that an approver sees the difference without parsing {@link #describe}.
     */
    static Map<String, String> identityDetails(AuthenticatedClient client) {
        Map<String, String> details = new java.util.LinkedHashMap<>();
        details.put(PROVEN_BY, String.join(", ", client.methods().stream()
                .map(m -> m.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).sorted().toList()));
        client.certificate().ifPresent(c -> details.put(VERIFIED_SUBJECT, c.getSubjectX500Principal().getName()));
        List<String> unverified = new ArrayList<>();
        client.unverified().ifPresent(u -> {
            if (!u.presentedChain().isEmpty()) {
                X509Certificate c = u.presentedChain().get(0);
                unverified.add("TLS certificate " + c.getSubjectX500Principal().getName() + " (issuer "
                        + c.getIssuerX500Principal().getName() + ", SHA-256 " + fingerprint(c) + ")");
            }
            u.claimedUsername().ifPresent(n -> unverified.add("HTTP user " + n));
        });
        details.put(UNVERIFIED_CLIENT, String.join("; ", unverified));
        return details;
    }

    /** The SHA-256 fingerprint of {@code c} in hex. */
    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(sha256().digest(c.getEncoded()));
        } catch (CertificateEncodingException e) {
            return "(unencodable)";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
