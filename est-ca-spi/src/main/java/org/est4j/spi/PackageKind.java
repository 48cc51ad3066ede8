package org.est4j.spi;

/**
 * The kinds of package a {@link PackageService} hands out (RFC 8295 sections 3, 5, 6 and 7), each served on
 * its own path under {@code /.well-known/est[/label]}.
 */
public enum PackageKind {

    /** {@code /eecerts}: end-entity certificates of the peers the client talks to (DER X.509 certificates). */
    EE_CERTIFICATES("eecerts"),

    /**
     * {@code /symmetrickeys}: an RFC 6031 {@code SymmetricKeyPackage}, DER, unprotected; est4j signs it and
     * encrypts it for the client before it leaves the server (RFC 8295 section 5).
     */
    SYMMETRIC_KEYS("symmetrickeys"),

    /**
     * {@code /firmware}: an RFC 4108 protected firmware package, a DER CMS {@code ContentInfo} signed by
     * the firmware's own signer, sent as it is.
     */
    FIRMWARE("firmware"),

    /**
     * {@code /tamp}: an RFC 5934 TAMP message (status query, trust anchor update, community update or sequence
     * number adjust), a DER CMS {@code ContentInfo} signed by the trust anchor manager, sent as it is.
     */
    TAMP("tamp");

    private final String path;

    PackageKind(String path) {
        this.path = path;
    }

    /** The path segment that serves this kind, such as {@code firmware}. */
    public String path() {
        return path;
    }
}
