package org.est4j.jaxrs.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How est4j checks the revocation status of TLS client certificates during PKIX path validation (RFC 5280
 * section 6.3, RFC 6960), besides asking the CA ({@link org.est4j.spi.CaService#certificateStatus}), which it
 * always does.
 *
 * @param mode         which sources, in which order
 * @param softFail     {@code true}: a certificate whose status cannot be determined (responder down, no
 *                     current CRL) is accepted; {@code false} (hard fail): it is refused
 * @param crlFiles     CRL files (PEM or DER), read again when they change
 * @param fetchCrls    fetch the CRLs named in the certificates' CRL distribution points (http URLs), kept until
 *                     their nextUpdate
 * @param ocspResponder the OCSP responder to ask instead of the one in each certificate's authority information
 *                     access extension
 * @param timeout      for a CRL download (OCSP requests use the JDK's {@code com.sun.security.ocsp.timeout})
 */
public record RevocationChecking(Mode mode, boolean softFail, List<Path> crlFiles, boolean fetchCrls,
                                 Optional<URI> ocspResponder, Duration timeout) {

    /** The {@code client-auth.revocation} setting. */
    public enum Mode {
        /** No PKIX revocation checking (the CA's own answer still counts). */
        OFF("off"),
        /** CRLs only. */
        CRL("crl"),
        /** OCSP only. */
        OCSP("ocsp"),
        /** OCSP, and CRLs when OCSP cannot answer. */
        OCSP_THEN_CRL("ocsp+crl"),
        /** CRLs, and OCSP when no CRL answers. */
        CRL_THEN_OCSP("crl+ocsp");

        private final String setting;

        Mode(String setting) {
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }

        public boolean usesCrls() {
            return this != OFF && this != OCSP;
        }

        /** Parses {@code off}, {@code crl}, {@code ocsp}, {@code ocsp+crl} or {@code crl+ocsp}. */
        public static Mode parse(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT).replace(" ", "");
            for (Mode m : values()) {
                if (m.setting.equals(v)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("expected off, crl, ocsp, ocsp+crl or crl+ocsp");
        }
    }

    public static final RevocationChecking OFF = new RevocationChecking(Mode.OFF, false, List.of(), false, Optional.empty(),
            Duration.ofSeconds(5));

    public RevocationChecking {
        Objects.requireNonNull(mode, "mode");
        crlFiles = List.copyOf(crlFiles);
        Objects.requireNonNull(ocspResponder, "ocspResponder");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** What the start-up log says about it. */
    public String describe() {
        if (mode == Mode.OFF) {
            return "off (only the CA's own revocations count)";
        }
        return mode.setting() + ", " + (softFail ? "soft" : "hard") + " fail"
                + (mode.usesCrls() ? ", CRLs from " + (crlFiles.isEmpty() ? "" : crlFiles.size() + " file(s)")
                        + (fetchCrls ? (crlFiles.isEmpty() ? "" : " and ") + "distribution points" : "") : "")
                + (mode != Mode.CRL ? ", OCSP " + ocspResponder.map(URI::toString).orElse("from each certificate's AIA") : "");
    }
}
