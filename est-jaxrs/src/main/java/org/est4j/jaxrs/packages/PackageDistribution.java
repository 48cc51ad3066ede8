package org.est4j.jaxrs.packages;

import java.io.ByteArrayInputStream;
import java.lang.System.Logger.Level;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;

import org.est4j.jaxrs.ClientText;
import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.codec.CertsOnlyEncoder;
import org.est4j.jaxrs.codec.CsrAttrsEncoder;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CrlRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;

/**
 * {@code GET /pal} and the package GETs of RFC 8295: the client's package availability list, and the packages it
 * lists ({@code /eecerts}, {@code /symmetrickeys}, {@code /firmware}, {@code /tamp}). The {@link PackageService}
 * decides what each client gets; this class authenticates, describes and encodes.
 *
 * <p>Every kind but end-entity certificates needs an authenticated client: they are meant for it alone, and a
 * symmetric key package is even encrypted for its TLS certificate. End-entity certificates are signed by their
 * CA, so anyone may fetch those the package service gives an anonymous client (RFC 8295 section 3).
 */
public final class PackageDistribution {

    private static final System.Logger LOG = System.getLogger(PackageDistribution.class.getName());

    /** RFC 7193; the packages are CMS ContentInfo structures. */
    static final String APPLICATION_CMS = "application/cms";

    /** A package service with nothing to hand out. */
    public static final PackageService NONE = new PackageService() {
        @Override
        public List<DistributedPackage> packages(PackageRequest request) {
            return List.of();
        }

        @Override
        public void recordReturn(PackageReturn returned) {
            throw new IllegalStateException("no package service");
        }
    };

    private final CaService ca;
    private final PackageService packages;
    private final EstAuthenticator authenticator;
    private final LabelPolicies policies;
    private final Optional<ResponseSigner> signer;
    /** Ids of TAMP packages already reported as undescribable. */
    private final java.util.Set<String> undescribed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public PackageDistribution(CaService ca, PackageService packages, EstEndpointConfig config) {
        this.ca = ca;
        this.packages = packages;
        this.authenticator = config.authenticator(ca::certificateStatus);
        this.policies = config.policies();
        this.signer = config.signer();
    }

    /**
     * {@code GET /pal} (RFC 8295 section 2): what this client can fetch or should do now, in XML or JSON as its
     * {@code Accept} prefers. Not cached anywhere: it differs per client and changes as packages are taken.
     */
    public EstReply pal(Optional<String> label, HttpRequestInfo http) throws CaException {
        PalFormat format = PalFormat.negotiate(http.accept()).orElseThrow(() -> new EstProtocolException(406,
                "the package availability list is available as application/xml or application/json"));
        LabelPolicy policy = policies.of(label);
        AuthenticatedClient client = authenticator.authenticate(label, http, policy, false);
        List<PalEntry> entries = availability(label, client, policy, base(label, http));
        byte[] body = format == PalFormat.JSON ? PalDocument.json(entries) : PalDocument.xml(entries);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", format.mediaType());
        headers.put("Vary", "Accept");
        headers.put("Cache-Control", "no-store");
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(200, headers, body);
    }

    /**
     * {@code GET /eecerts}, {@code /symmetrickeys}, {@code /firmware} or {@code /tamp}: end-entity certificates all
     * together, the other kinds one package per request, the one {@code ?id=} names or else the oldest. 204 when
     * there is none.
     */
    public EstReply packages(Optional<String> label, HttpRequestInfo http, PackageKind kind) throws CaException {
        LabelPolicy policy = policies.of(label);
        if (kind == PackageKind.EE_CERTIFICATES) {
            List<DistributedPackage> found = packages.packages(new PackageRequest(label, authenticator.identify(label, http), kind));
            if (found.isEmpty()) {
                return EstReply.empty(204, Map.of());
            }
            return EstReply.encoded(policy.responses(), 200, EstMediaTypes.PKCS7_CERTS_ONLY, "PKCS7",
                    CertsOnlyEncoder.encode(certificates(found)));
        }
        if (kind == PackageKind.SYMMETRIC_KEYS && signer.isEmpty()) {
            throw new EstProtocolException(501, "symmetric key packages are not offered: this server has no response signer "
                    + "configured to sign them (RFC 8295 section 5)");
        }
        Optional<String> id = PackageQuery.id(http.requestTarget());
        AuthenticatedClient client = authenticator.authenticate(label, http, policy, false);
        X509Certificate recipient = null;
        if (kind == PackageKind.SYMMETRIC_KEYS) {
            recipient = client.certificate().orElseThrow(() -> EstProtocolException.forbidden("symmetric key packages are "
                    + "encrypted for the client's TLS certificate: authenticate with a TLS client certificate"));
            if (!SymmetricKeyProtection.canReceive(recipient)) {
                throw EstProtocolException.forbidden("the TLS client certificate has a " + recipient.getPublicKey().getAlgorithm()
                        + " key; symmetric key packages can be encrypted for RSA and EC keys only");
            }
        }
        List<DistributedPackage> found = packages.packages(new PackageRequest(label, client, kind));
        DistributedPackage chosen;
        if (id.isPresent()) {
            chosen = found.stream().filter(p -> p.id().equals(id.get())).findFirst()
                    .orElseThrow(() -> new EstProtocolException(404, "no such package for this client"));
        } else if (found.isEmpty()) {
            return EstReply.empty(204, Map.of());
        } else {
            chosen = found.get(0);
        }
        byte[] der = kind == PackageKind.SYMMETRIC_KEYS
                ? SymmetricKeyProtection.protect(chosen.content(), chosen.id(), signer.get(), recipient)
                : chosen.content();
        LOG.log(Level.INFO, "package {0}/{1} sent to {2} ({3})", kind.path(), ClientText.quote(chosen.id()), who(client),
                client.remoteAddress());
        return EstReply.encoded(policy.responses(), 200, APPLICATION_CMS, "CMS", der);
    }

    /** The client's entries, in the order RFC 8295 section 2.1.1 lists the types. */
    private List<PalEntry> availability(Optional<String> label, AuthenticatedClient client, LabelPolicy policy, String base)
            throws CaException {
        List<PalEntry> entries = new ArrayList<>();
        CaCertificates caCertificates = ca.caCertificates(new CaCertificatesRequest(label, client));
        PalEntry.Info caName = caCertificates.certificates().isEmpty() ? new PalEntry.Uri(base + "/cacerts")
                : dn(caCertificates.certificates().get(0).getSubjectX500Principal());
        if (!caCertificates.certificates().isEmpty()) {
            entries.add(entry(PalEntry.CA_CERTIFICATES, CertsOnlyEncoder.encode(caCertificates.certificates()).length, caName,
                    base + "/cacerts"));
        }
        List<DistributedPackage> endEntity = packages.packages(new PackageRequest(label, client, PackageKind.EE_CERTIFICATES));
        if (!endEntity.isEmpty()) {
            List<X509Certificate> certificates = certificates(endEntity);
            entries.add(entry(PalEntry.EE_CERTIFICATES, CertsOnlyEncoder.encode(certificates).length,
                    dn(certificates.get(0).getIssuerX500Principal()), base + "/eecerts"));
        }
        for (X509CRL crl : ca.crls(new CrlRequest(label, client))) {
            entries.add(entry(onlyContainsCaCertificates(crl) ? PalEntry.ARL : PalEntry.CRL, encoded(crl),
                    dn(crl.getIssuerX500Principal()), base + "/crls"));
        }
        Optional<X509Certificate> certificate = client.certificate();
        if (certificate.isEmpty()) {
            // authenticated by a password or an RA's word only: the client has no certificate yet
            Optional<CsrAttributes> attributes = ca.csrAttributes(new CsrAttributesRequest(label, client));
            if (attributes.isPresent() && !attributes.get().items().isEmpty()) {
                entries.add(entry(PalEntry.ENROLL_WITH_CSR_ATTRIBUTES, CsrAttrsEncoder.encode(attributes.get()).length, caName,
                        base + "/csrattrs"));
            } else {
                entries.add(entry(PalEntry.ENROLL, 0, caName, base + "/simpleenroll"));
            }
        } else if (expiresWithin(certificate.get(), policy.reenrollNoticeDays())) {
            X509Certificate c = certificate.get();
            entries.add(entry(PalEntry.REENROLL, 0, new PalEntry.Iasn(rfc4514(c.getIssuerX500Principal()), c.getSerialNumber()),
                    base + "/simplereenroll"));
        }
        if (certificate.isPresent() && SymmetricKeyProtection.canReceive(certificate.get()) && signer.isPresent()) {
            // listed only where /symmetrickeys can deliver them: signed by this server, encrypted for this certificate
            PalEntry.Info server = dn(signer.get().certificate().getSubjectX500Principal());
            for (DistributedPackage p : packages.packages(new PackageRequest(label, client, PackageKind.SYMMETRIC_KEYS))) {
                // the size of the key package itself: signature and encryption around it differ on each request
                entries.add(entry(PalEntry.SYMMETRIC_KEY_PACKAGE, p.content().length, server, packageUri(base, p)));
                entries.add(entry(PalEntry.SYMMETRIC_KEY_RECEIPT, 0, server, base + "/symmetrickeys/return"));
            }
        }
        for (DistributedPackage p : packages.packages(new PackageRequest(label, client, PackageKind.FIRMWARE))) {
            String uri = packageUri(base, p);
            PalEntry.Info signedBy = SignedPackage.read(p.content()).flatMap(SignedPackage::signer).orElse(new PalEntry.Uri(uri));
            entries.add(entry(PalEntry.FIRMWARE_PACKAGE, p.content().length, signedBy, uri));
            entries.add(entry(PalEntry.FIRMWARE_RECEIPT, 0, signedBy, base + "/firmware/return"));
        }
        for (DistributedPackage p : packages.packages(new PackageRequest(label, client, PackageKind.TAMP))) {
            String uri = packageUri(base, p);
            Optional<SignedPackage> read = SignedPackage.read(p.content());
            String[] types = read.map(s -> SignedPackage.TAMP_TYPES.get(s.contentType())).orElse(null);
            if (types == null) {
                // an operator's mistake, not the client's: /tamp still serves it, the list cannot say what it is.
                // Said once per package, not on every poll of every client.
                if (undescribed.size() < 1000 && undescribed.add(p.id())) {
                    LOG.log(Level.WARNING, "TAMP package {0} is not a signed TAMP message ({1}): left out of the package "
                            + "availability list", ClientText.quote(p.id()), read.map(s -> s.contentType().getId()).orElse("not a SignedData"));
                }
                continue;
            }
            PalEntry.Info signedBy = read.get().signer().orElse(new PalEntry.Uri(uri));
            entries.add(entry(types[0], p.content().length, signedBy, uri));
            entries.add(entry(types[1], 0, signedBy, base + "/tamp/return"));
        }
        return entries;
    }

    /**
     * {@code https://host:port/.well-known/est[/label]} as the client addressed this server: the URLs in its list
     * must reach the same server and label through whatever proxy it used.
     */
    private static String base(Optional<String> label, HttpRequestInfo http) {
        return http.estBase() + label.map(l -> "/" + l).orElse("");
    }

    private static String packageUri(String base, DistributedPackage p) {
        return base + "/" + p.kind().path() + "?" + PackageQuery.ID + "=" + PackageQuery.encode(p.id());
    }

    private static PalEntry entry(String type, long size, PalEntry.Info info, String uri) {
        return new PalEntry(type, Optional.empty(), size, info, uri);
    }

    private static boolean expiresWithin(X509Certificate certificate, int days) {
        return !certificate.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(days)));
    }

    /** An ARL: its issuing distribution point says it covers CA certificates only (RFC 5280 section 5.2.5). */
    static boolean onlyContainsCaCertificates(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.issuingDistributionPoint.getId());
        if (extension == null) {
            return false;
        }
        try {
            return IssuingDistributionPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets()).onlyContainsCACerts();
        } catch (IllegalArgumentException e) {
            return false; // malformed: list it as a CRL, which is what its issuer called it at least
        }
    }

    private static long encoded(X509CRL crl) {
        try {
            return crl.getEncoded().length;
        } catch (CRLException e) {
            throw new IllegalStateException("the CA returned a CRL that cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The end-entity certificate packages as certificates (each package is one DER certificate). */
    private static List<X509Certificate> certificates(List<DistributedPackage> found) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (DistributedPackage p : found) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(p.content())));
            }
        } catch (CertificateException e) {
            throw new IllegalStateException("the package service returned an end-entity certificate that is not a DER "
                    + "X.509 certificate: " + e.getMessage(), e);
        }
        return certificates;
    }

    private static PalEntry.Dn dn(X500Principal name) {
        return new PalEntry.Dn(rfc4514(name));
    }

    static String rfc4514(X500Principal name) {
        return name.getName(X500Principal.RFC2253);
    }

    private static String who(AuthenticatedClient client) {
        return client.certificate().map(c -> ClientText.quote(rfc4514(c.getSubjectX500Principal())))
                .or(() -> client.username().map(u -> "user " + ClientText.quote(u))).orElse("an anonymous client");
    }
}
