package org.est4j.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * est4j.war in Tomcat 11 with the JSSE connector of est-war/src/main/tomcat/server.xml
 * ({@code certificateVerification="optional"} + the CA trust store), on the build JDK.
 */
class TomcatJsseTest extends EstScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return EstTarget.rootWar();
    }

    /** JSSE checks the client certificate against its trust store during the handshake: no HTTP exchange happens. */
    @Test
    void selfSignedClientCertificateFailsTheTlsHandshake() throws Exception {
        assertSelfSignedClientCertificateFailsTheHandshake();
    }
}
