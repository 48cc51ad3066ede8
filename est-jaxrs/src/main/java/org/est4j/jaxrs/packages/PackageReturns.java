package org.est4j.jaxrs.packages;

import java.io.InputStream;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.est4j.jaxrs.ClientText;
import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.BoundedBody;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaException;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;

/**
 * The {@code /return} paths of RFC 8295: {@code /symmetrickeys/return} (section 5), {@code /firmware/return}
 * (section 6), {@code /tamp/return} (section 7) and {@code /serverkeygen/return} (asymmetric keys). The client posts
 * a CMS SignedData it signed with the key of its TLS certificate, holding an RFC 7191 key package receipt or
 * error, an RFC 4108 firmware load receipt or error, or an RFC 5934 TAMP response, confirm or error.
 *
 * <p>Each request flows one way: declared size (413), media type {@code application/cms} (415), authentication
 * (401), a TLS client certificate (403), the body (base64 or binary DER), the signature (400 if altered, 403 if
 * not the client's), the content as its path allows (400), the package it names among those the client was
 * given (404, or 403 when it is another client's), then {@link PackageService#recordReturn} and 204.
 */
public final class PackageReturns {

    /** The media type of CMS messages (RFC 7193), which RFC 8295 gives every {@code /return} body. */
    static final String APPLICATION_CMS = "application/cms";

    private static final String SOURCE = PackageReturns.class.getName();
    private static final Logger LOG = Logger.getLogger(SOURCE);

    private final PackageService packages;
    private final EstAuthenticator authenticator;
    private final int maxRequestBytes;
    private final LabelPolicies policies;

    /**
     * @param statuses the CA's word on whether a client certificate is revoked, as enrollment asks it
     *                 ({@code ca::certificateStatus})
     */
    public PackageReturns(PackageService packages, EstEndpointConfig config, EstAuthenticator.CertificateStatusSource statuses) {
        this.packages = packages;
        this.authenticator = config.authenticator(statuses);
        this.maxRequestBytes = config.maxRequestBytes();
        this.policies = config.policies();
    }

    /**
     * {@code POST .../return} for packages of {@code kind}, or with {@code kind} empty for a key est4j generated
     * on {@code /serverkeygen}. 204 once the return is recorded.
     */
    public EstReply accept(Optional<String> label, HttpRequestInfo http, InputStream body, Optional<PackageKind> kind)
            throws CaException {
        BoundedBody.checkDeclaredLength(http.contentLength(), maxRequestBytes);
        if (!isCms(http.contentType())) {
            String received = http.contentType() == null ? "none"
                    : "'" + ClientText.quote(http.contentType(), ClientText.REPLY_LIMIT) + "'";
            throw new EstProtocolException(415, "a receipt must be sent with Content-Type " + APPLICATION_CMS
                    + " (received " + received + ")");
        }
        AuthenticatedClient client = authenticator.authenticate(label, http, policies.of(label), false);
        // The receipt is signed with the client's key, and the server checks it against the certificate
        // the client authenticated with: without one there is nothing to check the signer against.
        X509Certificate certificate = client.certificate().orElseThrow(() -> EstProtocolException.forbidden(
                "a receipt can only be accepted from a client authenticated with its TLS certificate, whose key signs it"));
        byte[] posted = BoundedBody.read(body, maxRequestBytes);
        if (posted.length == 0) {
            throw EstProtocolException.badRequest("the request body is empty; expected a signed CMS message (" + APPLICATION_CMS + ")");
        }
        // Binary DER as RFC 8295 shows it, or base64 as RFC 7030 and 8951 have EST bodies. A DER ContentInfo starts
        // with 0x30 (SEQUENCE); base64 text starting with '0' (0x30) would decode to 0xD0-0xD3, never a
        // ContentInfo, so the first octet decides. (Base64Transfer alone takes short DER for base64.)
        byte[] der = posted[0] == 0x30 ? posted : Base64Transfer.decode(posted);
        SignedReturnMessage message = SignedReturnMessage.parse(der);
        message.verifySignedBy(certificate);
        ReturnReceipt receipt = ReceiptDecoder.decode(kind, message.contentType(), message.content());
        String packageId = kind.isPresent() ? distributedPackage(label, client, kind.get(), receipt)
                : generatedKey(receipt);
        packages.recordReturn(new PackageReturn(label, client, kind, packageId, receipt.outcome(), receipt.detail(), der, Instant.now()));
        log(label, certificate, kind, packageId, receipt);
        return EstReply.empty(204, Map.of());
    }

    /** The id of the package, among those {@link PackageService#packages} gives this client, that the receipt names. */
    private String distributedPackage(Optional<String> label, AuthenticatedClient client, PackageKind kind, ReturnReceipt receipt)
            throws CaException {
        List<DistributedPackage> given = packages.packages(new PackageRequest(label, client, kind));
        Optional<DistributedPackage> named = PackageReferences.find(receipt.reference(), given);
        if (named.isPresent()) {
            return named.get().id();
        }
        // Only a pkgID is a package id (est4j sets it so): for it the service can say whether the package exists
        // for someone else. Firmware names and TAMP references cannot be turned back into an id. A package the
        // client has already accepted is no longer listed for it either, so a receipt posted twice lands here too:
        // the reasons say so.
        if (receipt.reference() instanceof PackageReferences.KeyPackageId pkgId) {
            Optional<String> id = pkgId.asPackageId();
            if (id.isPresent() && packages.exists(label, kind, id.get())) {
                throw EstProtocolException.forbidden("the " + receipt.type() + " names " + kind.path() + " package '"
                        + ClientText.quote(id.get(), ClientText.REPLY_LIMIT) + "', which was not distributed to this client "
                        + "(or was already acknowledged by it)");
            }
        }
        throw new EstProtocolException(404, "no " + kind.path() + " package distributed to this client matches this "
                + receipt.type() + " (" + ClientText.quote(receipt.reference().describe(), ClientText.REPLY_LIMIT)
                + "); a package already acknowledged is no longer listed");
    }

    /**
     * For {@code /serverkeygen/return}: the pkgID of a server-generated key is the serial number of the certificate
     * issued with it (two's-complement octets, as {@link BigInteger#toByteArray()}), recorded in hexadecimal. The
     * CA, not est4j, knows which serials it issued to whom, so nothing is looked up.
     */
    private String generatedKey(ReturnReceipt receipt) {
        if (packages == PackageDistribution.NONE) {
            throw new EstProtocolException(501, "receipts for server-generated keys are not kept: this server has no package service");
        }
        byte[] pkgId = ((PackageReferences.KeyPackageId) receipt.reference()).bytes();
        if (pkgId.length == 0 || pkgId.length > 20) {
            // RFC 5280 section 4.1.2.2: a serial number is at most 20 octets
            throw EstProtocolException.badRequest("the " + receipt.type() + "'s pkgID must be the serial number of the certificate "
                    + "issued with the key (1 to 20 octets); it has " + pkgId.length);
        }
        return new BigInteger(pkgId).toString(16);
    }

    private static boolean isCms(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT).equals(APPLICATION_CMS);
    }

    private static void log(Optional<String> label, X509Certificate client, Optional<PackageKind> kind, String packageId,
                            ReturnReceipt receipt) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.logp(Level.INFO, SOURCE, "accept", "return: " + receipt.outcome() + " " + kind.map(PackageKind::path).orElse("serverkeygen")
                    + " package " + ClientText.quote(packageId) + label.map(l -> " (label " + ClientText.quote(l) + ")").orElse("")
                    + " from " + ClientText.quote(client.getSubjectX500Principal().getName()) + ": " + ClientText.quote(receipt.detail()));
        }
    }
}
