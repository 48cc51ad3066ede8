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

    /**
     * Undertow passes characters RFC 3986 forbids in a path ({@code [}, {@code "}) to the application, where RESTEasy
     * failed on them with a 500; est4j refuses them first. (Tomcat refuses them in the connector.)
     */
    @Test
    void aRequestTargetThatIsNoUriIsA400Line() throws Exception {
        RawHttps http = new RawHttps(target.host(), target.httpsPort(), Pki.tls(target.ca(), null));
        RawHttps.Response bracket = http.send("GET /.well-known/est/sim[ple HTTP/1.1", new byte[0]);
        org.junit.jupiter.api.Assertions.assertEquals(400, bracket.status(), bracket::toString);
        org.junit.jupiter.api.Assertions.assertEquals("400 the request target is not a valid URI (RFC 3986 section 3.3)\n", bracket.text());
        for (String path : java.util.List.of("sim]ple", "a\"b/cacerts", "x{y}/cacerts", "x|y/cacerts")) {
            // some of these Undertow refuses itself, with a bare 400; either way no 500 and no page
            RawHttps.Response r = http.send("GET /.well-known/est/" + path + " HTTP/1.1", new byte[0]);
            org.junit.jupiter.api.Assertions.assertEquals(400, r.status(), () -> path + ": " + r);
            org.junit.jupiter.api.Assertions.assertTrue(r.text().isEmpty()
                    || r.text().equals("400 the request target is not a valid URI (RFC 3986 section 3.3)\n"), () -> path + ": " + r);
        }
        // what Undertow itself refuses is a bare status: no page, no stack trace, no version
        RawHttps.Response backslash = http.send("GET /.well-known/est/sim\\ple HTTP/1.1", new byte[0]);
        org.junit.jupiter.api.Assertions.assertEquals(400, backslash.status(), backslash::toString);
        BadInputTest.assertNoLeak("backslash on Undertow", backslash.text());
    }

    /** Elytron's trust manager checks the client certificate against client-truststore.p12 during the handshake. */
    @Test
    void selfSignedClientCertificateFailsTheTlsHandshake() throws Exception {
        assertSelfSignedClientCertificateFailsTheHandshake();
    }
}
