package org.est4j.it;

import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;

/** est4j behind Apache httpd 2.4 + mod_ssl with docs/proxies/apache.conf (SSL_CLIENT_CERT via RequestHeader). */
class ApacheProxyTest extends BehindProxyScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return deployBehind(ProxyProcess.Kind.APACHE);
    }

    @BeforeAll
    static void startApache() throws Exception {
        startProxy(ProxyProcess.Kind.APACHE);
    }

    @Override
    String forgedHeaderValue(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE----- " + Base64.getMimeEncoder(64, new byte[] {' '}).encodeToString(certificate.getEncoded())
                + " -----END CERTIFICATE-----";
    }
}
