package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The lean est4j-ee.war on WildFly 39 (RESTEasy, Weld, Undertow) with HTTPS and optional client certificates
 * from the Elytron commands est4j writes to EST_HOME/wildfly-tls.cli: the same scenarios as on Tomcat, with
 * the same exact wire bytes.
 */
class WildflyTest extends EstScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return EstTarget.rootWar();
    }

    /** The Elytron commands the build applied (est4j's template) stand in README.md line by line. */
    @Test
    void readmeShowsTheElytronCommandsTheTestsApplied() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        java.util.List<String> template = java.nio.file.Files.readAllLines(java.nio.file.Path.of(
                "..", "est-war", "src", "main", "resources", "org", "est4j", "war", "wildfly-tls.cli"));
        for (String line : template) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(readme.contains(line + "\n"), () -> "README.md no longer shows the Elytron command: " + line);
            }
        }
    }

    /** Elytron needs cipher-suite-names for TLS 1.3; the shipped commands set them, so renewal works over TLS 1.3. */
    @Test
    void reenrollWithAClientCertificateOverTls13() throws Exception {
        KeyPair keys = Pki.p256();
        org.bouncycastle.est.EnrollmentResponse enrolled = bcClient(null).simpleEnroll(false, Pki.csr(keys, "CN=wildfly-tls13"), preemptiveBasic());
        X509Certificate current = Pki.toCertificates(enrolled.getStore().getMatches(null)).get(0);

        EstHttp.Reply reply = withClientCertificate(keys, current).postCsr("simplereenroll", Pki.csr(keys, "CN=wildfly-tls13").getEncoded());

        org.junit.jupiter.api.Assertions.assertEquals(200, reply.status(), reply::toString);
        org.junit.jupiter.api.Assertions.assertEquals("TLSv1.3", reply.response().sslSession().orElseThrow().getProtocol());
    }

    /** Elytron's trust manager checks the client certificate against client-truststore.p12 during the handshake. */
    @Test
    void selfSignedClientCertificateFailsTheTlsHandshake() throws Exception {
        assertSelfSignedClientCertificateFailsTheHandshake();
    }
}
