package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * est4j.war in Tomcat 11 with the OpenSSL connector (FFM, JDK 25) of est-war/src/main/tomcat/server-openssl.xml
 * ({@code certificateVerification="optionalNoCA"}, no trust store): the container passes any client certificate
 * to the application, so est4j's own path validation is what keeps a self-signed certificate out.
 */
class TomcatOpenSslTest extends EstScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return EstTarget.rootWar();
    }

    @Test
    void selfSignedClientCertificateReachesEst4jAndIsRefusedOnEnroll() throws Exception {
        EstHttp.Reply reply = selfSignedAttempt("simpleenroll", false);

        // est-jaxrs EstAuthenticator: the certificate fails est4j's path validation and nothing else
        // authenticates the client.
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Basic realm=\"" + REALM + "\"", reply.requiredHeader("WWW-Authenticate"));
        assertOneLineText(reply);
        assertTrue(reply.text().contains("TLS client certificate is not accepted"), reply::toString);
    }

    @Test
    void selfSignedClientCertificateGetsNoCertificateOnReenroll() throws Exception {
        EstHttp.Reply reply = selfSignedAttempt("simplereenroll", false);

        assertEquals(401, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("TLS client certificate is not accepted"), reply::toString);
    }

    @Test
    void selfSignedClientCertificateWithValidPasswordStillCannotReenroll() throws Exception {
        EstHttp.Reply reply = selfSignedAttempt("simplereenroll", true);

        // Basic authenticates the client, but the unvalidated certificate is not "the certificate being renewed".
        assertEquals(403, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("TLS client authentication"), reply::toString);
    }
}
