package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.TrustAnchor;
import java.util.Set;

import javax.net.ssl.X509TrustManager;

import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.est4j.it.customca.MaintenanceCaService;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "plug in your own CA" recipe, for real: the built WAR plus a jar holding a CaService alternative.
 * The answers (503 on /cacerts, 202 + Retry-After on enrollment, 403 from the CA's own policy) prove the
 * user's bean replaced the embedded local CA, and that est4j maps each SPI outcome to the RFC 7030 status.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CustomCaServiceTest {

    private EstTarget target;

    @Deployment(testable = false)
    static WebArchive est4jWithMyCa() {
        JavaArchive myCa = ShrinkWrap.create(JavaArchive.class, "my-ca.jar")
                .addClass(MaintenanceCaService.class)
                .addAsManifestResource(new StringAsset("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\" "
                        + "bean-discovery-mode=\"annotated\"/>"), "beans.xml");
        return EstTarget.rootWar().addAsLibrary(myCa);
    }

    @BeforeEach
    void readTarget() {
        target = EstTarget.fromSystemProperties();
    }

    private EstHttp withPassword() throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password());
    }

    @Test
    void unavailableCaIs503WithRetryAfter() throws Exception {
        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).get("cacerts");
        assertEquals(503, reply.status(), reply::toString);
        assertEquals("30", reply.requiredHeader("Retry-After"));
        EstScenarios.assertOneLineText(reply);
        assertTrue(reply.text().contains("maintenance"), reply::toString);
    }

    @Test
    void pendingEnrollmentIs202WithRetryAfter() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=device-pending").getEncoded());
        assertEquals(202, reply.status(), reply::toString);
        assertEquals("42", reply.requiredHeader("Retry-After"));
        assertEquals("0", reply.requiredHeader("Content-Length"), "no body: BouncyCastle's client fails on an unread one");
    }

    @Test
    void bouncyCastlesClientSeesAPendingEnrollmentItMayRetry() throws Exception {
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null);
        EnrollmentResponse response = new JsseESTServiceBuilder(target.authority(), trust).build()
                .simpleEnroll(false, Pki.csr(Pki.p256(), "CN=device-pending-bc"), EstScenarios.preemptiveBasicFor(target));
        long sent = System.currentTimeMillis();
        assertFalse(response.isCompleted(), "202: no certificate yet, BouncyCastle keeps the request to repeat");
        assertFalse(response.canRetry(), "not before Retry-After has passed");
        assertTrue(response.getNotBefore() >= sent + 30_000 && response.getNotBefore() <= sent + 43_000,
                () -> "BouncyCastle's retry time follows Retry-After: 42, was +" + (response.getNotBefore() - sent) + " ms");
    }

    @Test
    void csrAttributesOfTheCaReachBouncyCastlesClient() throws Exception {
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null);
        org.bouncycastle.est.CSRRequestResponse response = new JsseESTServiceBuilder(target.authority(), trust).build().getCSRAttributes();
        assertTrue(response.hasAttributesResponse());
        org.bouncycastle.est.CSRAttributesResponse attributes = response.getAttributesResponse();
        assertTrue(attributes.hasRequirement(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_challengePassword));
        assertTrue(attributes.isAttribute(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey));
        assertTrue(attributes.hasRequirement(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA384));
        assertEquals(4, attributes.getRequirements().size());

        EstHttp.Reply raw = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).get("csrattrs");
        assertEquals("application/csrattrs", raw.requiredHeader("Content-Type"));
        assertEquals("base64", raw.requiredHeader("Content-Transfer-Encoding"));
    }

    @Test
    void theCasOwnPolicyRefusalIs403WithItsReason() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=forbidden").getEncoded());
        assertEquals(403, reply.status(), reply::toString);
        EstScenarios.assertOneLineText(reply);
        assertTrue(reply.text().contains("may not be enrolled by est"), reply::toString);
    }
}
