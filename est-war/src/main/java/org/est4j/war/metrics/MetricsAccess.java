package org.est4j.war.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.war.access.AdminCertificate;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.MetricsSettings;

/**
 * Who may read {@code /metrics}: the holder of the bearer token of {@code metrics.token-file}, or a TLS client whose
 * certificate validates against est4j's client trust anchors and whose subject is {@code metrics.client-subject}.
 */
public final class MetricsAccess {

    /** What a request to {@code /metrics} gets. */
    public enum Verdict {
        /** 200 with the metrics. */
        ALLOWED,
        /** 401: no credential at all. */
        UNAUTHENTICATED,
        /** 403: a credential that is not the configured one. */
        FORBIDDEN
    }

    /** The shortest token accepted: 128 bits as hex, so it cannot be guessed. */
    static final int MIN_TOKEN_LENGTH = 32;

    private final Optional<byte[]> tokenDigest;
    private final AdminCertificate admin;

    MetricsAccess(Optional<String> token, Optional<X500Principal> subject, ClientCertificateValidator certificates) {
        this.tokenDigest = token.map(MetricsAccess::sha256);
        this.admin = new AdminCertificate(subject, certificates);
    }

    /** The access {@code settings} configure; the token file is read now, relative to {@code home}. */
    public static MetricsAccess of(Path home, MetricsSettings settings, ClientCertificateValidator certificates) {
        Optional<String> token = Optional.empty();
        if (settings.tokenFile().isPresent()) {
            Path file = home.resolve(settings.tokenFile().get());
            try {
                token = Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new ConfigException("'metrics.token-file' = '" + settings.tokenFile().get() + "': cannot read " + file + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (token.get().length() < MIN_TOKEN_LENGTH || !token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                // the value is not echoed: it is a secret, even when it is a bad one
                throw new ConfigException("'metrics.token-file' = '" + settings.tokenFile().get() + "': the token must be at least "
                        + MIN_TOKEN_LENGTH + " printable characters without spaces (for example: openssl rand -hex 32)");
            }
        }
        return new MetricsAccess(token, settings.clientSubject(), certificates);
    }

    /**
     * The verdict on a request with this {@code Authorization} header (or null) and TLS client chain (leaf first,
     * possibly empty).
     */
    public Verdict check(String authorization, List<X509Certificate> chain) {
        boolean presented = false;
        if (authorization != null && tokenDigest.isPresent()) {
            presented = true;
            String value = authorization.strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)
                    && MessageDigest.isEqual(tokenDigest.get(), sha256(value.substring(7).strip()))) {
                return Verdict.ALLOWED; // equal digests: the comparison's time says nothing of the token
            }
        }
        switch (admin.check(chain)) {
            case ADMIN -> {
                return Verdict.ALLOWED;
            }
            case NOT_ADMIN -> presented = true;
            case NOT_PRESENTED -> {
                // the token alone decides
            }
        }
        return presented ? Verdict.FORBIDDEN : Verdict.UNAUTHENTICATED;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
