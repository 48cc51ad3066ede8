package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CaUpstreamException;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RenewalKind;
import org.est4j.war.config.CmpSettings;
import org.est4j.war.config.Est4jConfig;

/**
 * {@link CmpUpstream} against a real CMP server: OpenSSL's {@code openssl cmp} mock server, one process per case
 * (its poll counter and its failure injection are server-wide).
 */
class CmpUpstreamOpenSslTest {

    /** A client that authenticated with HTTP Basic. */
    private static final AuthenticatedClient DEVICE = new AuthenticatedClient(List.of(), Optional.of("device"),
            java.util.Set.of(org.est4j.spi.AuthenticationMethod.HTTP_BASIC), "127.0.0.1");

    @TempDir
    static Path home;
    static CmpFixtures pki;

    @BeforeAll
    static void pki() throws Exception {
        assumeTrue(CmpFixtures.opensslCmp(), "openssl cmp is not installed");
        pki = new CmpFixtures(home);
    }

    private static List<String> macServer(String rspCert, String... more) {
        List<String> options = new java.util.ArrayList<>(List.of("-srv_ref", "est4j", "-srv_secret", "pass:s3cret-shared",
                "-rsp_cert", pki.file(rspCert).toString(), "-rsp_extracerts", pki.file("ca.pem").toString()));
        options.addAll(List.of(more));
        return options;
    }

    private static CmpUpstream upstream(String url, Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ca.up.type", "cmp");
        keys.put("ca.up.cmp.url", url);
        keys.put("ca.up.cmp.protection", "mac");
        keys.put("ca.up.cmp.mac.algorithm", "password-based-mac");
        keys.put("ca.up.cmp.mac.secret-file", "secret");
        keys.put("ca.up.cmp.mac.reference", "est4j");
        keys.put("ca.up.cmp.ca-certificates", "ca.pem");
        keys.put("ca.up.cmp.timeout-seconds", "10");
        keys.put("ca.up.cmp.retry-after-seconds", "7");
        keys.put("label.up.ca", "up");
        keys.putAll(extra);
        CmpSettings settings = Est4jConfig.parse(keys, "test").cmpCas().get("up");
        return CmpUpstream.open(settings, home);
    }

    private static EnrollmentRequest enrollment(CertificationRequest csr) {
        return new EnrollmentRequest(Optional.of("up"), csr, DEVICE);
    }

    @Test
    void enrollsWithMacProtectionAndConfirms() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "mac", macServer("client.pem"))) {
            CmpUpstream upstream = upstream(server.url(), Map.of());
            EnrollmentResult result = upstream.enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey)));
            Issued issued = assertInstanceOf(Issued.class, result);
            assertEquals(pki.client, issued.certificate());
            assertEquals(List.of(pki.ca), issued.chain());
            assertTrue(server.log().contains("received P10CR") && server.log().contains("received CERTCONF"), server.log());
        }
    }

    @Test
    void anImplicitConfirmationIsUsedOnlyWhenGranted() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "implicit", macServer("client.pem", "-grant_implicitconf"))) {
            assertInstanceOf(Issued.class, upstream(server.url(), Map.of())
                    .enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertFalse(server.log().contains("received CERTCONF"), "granted: no certConf: " + server.log());
            assertInstanceOf(Issued.class, upstream(server.url(), Map.of("ca.up.cmp.implicit-confirm", "false"))
                    .enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertTrue(server.log().contains("received CERTCONF"), "not asked for, not granted: certConf: " + server.log());
        }
    }

    @Test
    void aCrmfRequestOfFullCmcGoesAsCrWithItsOwnProofOfPossession() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "cr", macServer("client.pem"))) {
            Issued issued = assertInstanceOf(Issued.class, upstream(server.url(), Map.of()).enroll(enrollment(crmf(0))));
            assertEquals(pki.client, issued.certificate());
            assertTrue(server.log().contains("received CR"), "and the server verified its POP: " + server.log());
        }
    }

    @Test
    void aCrmfRequestWithAnotherIdGoesAsCrWithIdZeroAndRaVerified() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "cr-ra", macServer("client.pem", "-accept_raverified"))) {
            assertInstanceOf(Issued.class, upstream(server.url(), Map.of()).enroll(enrollment(crmf(7))));
        }
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "cr-no-ra", macServer("client.pem"))) {
            CsrRejectedException e = assertThrows(CsrRejectedException.class,
                    () -> upstream(server.url(), Map.of()).enroll(enrollment(crmf(7))));
            assertTrue(e.getMessage().contains("badPOP"), "raVerified is what went: " + e.getMessage());
        }
    }

    /** A /fullcmc CRMF request of the client's key, POP signed, with {@code certReqId}. */
    private static CertificationRequest crmf(int certReqId) throws Exception {
        org.bouncycastle.cert.crmf.CertificateRequestMessage crmf = new org.bouncycastle.cert.crmf.jcajce
                .JcaCertificateRequestMessageBuilder(java.math.BigInteger.valueOf(certReqId))
                .setSubject(new javax.security.auth.x500.X500Principal("CN=device-1,O=Example"))
                .setPublicKey(pki.clientKey.getPublic())
                .setProofOfPossessionSigningKeySigner(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(pki.clientKey.getPrivate()))
                .build();
        return new CertificationRequest(CertificationRequest.Format.CRMF, crmf.getEncoded(),
                new javax.security.auth.x500.X500Principal("CN=device-1,O=Example"), pki.clientKey.getPublic(), List.of(), List.of(),
                Optional.empty());
    }

    @Test
    void caCertificatesFallBackToTheConfiguredFileWhenTheUpstreamSendsNone() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "cacerts", macServer("client.pem"))) {
            CaCertificates certs = upstream(server.url(), Map.of()).caCertificates(
                    new CaCertificatesRequest(Optional.of("up"), AuthenticatedClient.anonymous("127.0.0.1")));
            assertEquals(List.of(pki.ca), certs.certificates());
        }
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "mismatch", macServer("other.pem"))) {
            CaUpstreamException e = assertThrows(CaUpstreamException.class, () -> upstream(server.url(), Map.of())
                    .enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertTrue(e.getMessage().contains("another public key"), e.getMessage());
            assertTrue(server.log().contains("received CERTCONF"), "the certificate is rejected with certConf: " + server.log());
        }
    }

    @Test
    void mapsAnUpstreamErrorWithItsReason() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "error", macServer("client.pem", "-send_error"))) {
            Exception e = assertThrows(Exception.class, () -> upstream(server.url(), Map.of())
                    .enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertTrue(e.getMessage().startsWith("the upstream CA refused the request"), e.getMessage());
        }
    }

    @Test
    void refusesAResponseMacWithAnotherSecret() throws Exception {
        List<String> options = new java.util.ArrayList<>(macServer("client.pem"));
        options.set(options.indexOf("pass:s3cret-shared"), "pass:another-secret");
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "badmac", options)) {
            CaUpstreamException e = assertThrows(CaUpstreamException.class, () -> upstream(server.url(), Map.of())
                    .enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertTrue(e.getMessage().contains("protection does not verify"), e.getMessage());
        }
    }

    @Test
    void pollsTheSameTransactionAcrossARestart() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "poll",
                macServer("client.pem", "-poll_count", "2", "-check_after", "3"))) {
            CertificationRequest csr = CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey);
            Pending pending = assertInstanceOf(Pending.class, upstream(server.url(), Map.of()).enroll(enrollment(csr)));
            assertEquals(3, pending.retryAfterSeconds());
            // the client waits as told; a new instance reads the transaction from EST_HOME, as after a restart (the real
            // restart, whose dropped connections openssl's server would punish, is CmpUpstreamTest's)
            Thread.sleep(pending.retryAfter().toMillis());
            Issued issued = assertInstanceOf(Issued.class, upstream(server.url(), Map.of()).enroll(enrollment(csr)));
            assertEquals(pki.client, issued.certificate());
            assertTrue(server.log().contains("received POLLREQ"), server.log());
        }
    }

    @Test
    void enrollsWithSignatureProtection() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "signature", List.of(
                "-srv_cert", pki.file("server.pem").toString(), "-srv_key", pki.file("server-key.pem").toString(),
                "-srv_trusted", pki.file("ca.pem").toString(), "-rsp_cert", pki.file("client.pem").toString()))) {
            CmpUpstream upstream = upstream(server.url(), Map.of("ca.up.cmp.protection", "signature",
                    "ca.up.cmp.signature.key", "ra-key.pem", "ca.up.cmp.signature.certificates", "ra.pem",
                    "ca.up.cmp.server-certificate", "server.pem", "ca.up.cmp.mac.secret-file", "secret"));
            Issued issued = assertInstanceOf(Issued.class,
                    upstream.enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
            assertEquals(pki.client, issued.certificate());
        }
    }

    @Test
    void aPemRaKeyOfAnotherCertificateIsRefusedAtStart() {
        org.est4j.war.config.ConfigException e = assertThrows(org.est4j.war.config.ConfigException.class,
                () -> upstream("http://127.0.0.1:9/", Map.of("ca.up.cmp.protection", "signature",
                        "ca.up.cmp.signature.key", "ra-key.pem", "ca.up.cmp.signature.certificates", "server.pem",
                        "ca.up.cmp.server-certificate", "server.pem", "ca.up.cmp.mac.secret-file", "secret")));
        assertEquals("CMP CA 'up': the key ra-key.pem (ca.up.cmp.signature.key) is not the key of the RA certificate "
                + "CN=Upstream CMP signer: the upstream would refuse every signature", e.getMessage());
    }

    @Test
    void rekeysWithKeyUpdateRequest() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "kur",
                macServer("rekeyed.pem", "-accept_raverified"))) {
            CertificationRequest csr = CmpFixtures.csr("CN=device-1,O=Example", pki.newClientKey);
            // the mock server insists that oldCertID names the certificate it returns: so the "current" one is that
            Issued issued = assertInstanceOf(Issued.class, upstream(server.url(), Map.of()).reenroll(new ReenrollmentRequest(
                    Optional.of("up"), csr, DEVICE, pki.rekeyed, RenewalKind.REKEY)));
            assertEquals(pki.rekeyed, issued.certificate());
            assertTrue(server.log().contains("received KUR"), server.log());
        }
    }

    @Test
    void revokesWithRrForTheHolder() throws Exception {
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "rr", macServer("client.pem"))) {
            CmpUpstream upstream = upstream(server.url(), Map.of());
            AuthenticatedClient stranger = AuthenticatedClient.anonymous("127.0.0.1");
            org.est4j.spi.RevocationRequest byStranger = new org.est4j.spi.RevocationRequest(Optional.of("up"),
                    pki.client.getIssuerX500Principal(), pki.client.getSerialNumber(), 1, Optional.empty(), Optional.empty(), stranger);
            assertThrows(org.est4j.spi.EnrollmentForbiddenException.class, () -> upstream.revoke(byStranger));
            assertFalse(server.log().contains("received RR"), "refused before anything goes upstream");
            AuthenticatedClient owner = new AuthenticatedClient(List.of(pki.client), Optional.empty(),
                    java.util.Set.of(org.est4j.spi.AuthenticationMethod.TLS_CLIENT_CERTIFICATE), "127.0.0.1");
            upstream.revoke(new org.est4j.spi.RevocationRequest(Optional.of("up"), pki.client.getIssuerX500Principal(),
                    pki.client.getSerialNumber(), 1, Optional.empty(), Optional.empty(), owner));
            assertTrue(server.log().contains("received RR"), server.log());
        }
    }

    @Test
    void anIncompletelyAuthenticatedClientIsNotForwarded() throws Exception {
        AuthenticatedClient unverified = AuthenticatedClient.unverified(new org.est4j.spi.UnverifiedIdentity(List.of(),
                Optional.of("mallory"), "wrong password"), "127.0.0.1");
        org.est4j.spi.EnrollmentForbiddenException e = assertThrows(org.est4j.spi.EnrollmentForbiddenException.class,
                () -> upstream("http://127.0.0.1:9/", Map.of()).enroll(new EnrollmentRequest(Optional.of("up"),
                        CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey), unverified)));
        assertTrue(e.getMessage().contains("authenticated"), e.getMessage());
    }

    @Test
    void anUnreachableUpstreamIsUnavailableWithRetryAfter() throws Exception {
        int port = CmpFixtures.freePort();
        CaUnavailableException e = assertThrows(CaUnavailableException.class, () -> upstream("http://127.0.0.1:" + port + "/pkix/",
                Map.of()).enroll(enrollment(CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey))));
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
        assertFalse(e.getMessage().contains("127.0.0.1"), "no host names to the client: " + e.getMessage());
    }
}
