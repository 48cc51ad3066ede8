package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;

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
        KeyPair keys = Pki.p256();
        X509Certificate selfSigned = Pki.selfSigned(keys, "CN=self-signed-device");
        EstHttp client = withClientCertificate(keys, selfSigned).basic(target.user(), target.password());

        IOException failure = assertThrows(IOException.class,
                () -> client.postCsr("simpleenroll", Pki.csr(keys, "CN=self-signed-device").getEncoded()),
                "the TLS layer must refuse a client certificate from an unknown CA");
        assertTrue(hasCause(failure, SSLException.class), () -> "expected a TLS failure, got " + failure);
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
