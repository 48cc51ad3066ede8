package org.est4j.it;

import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** est4j behind Apache httpd 2.4 + mod_ssl with docs/proxies/apache.conf (SSL_CLIENT_CERT via RequestHeader). */
class ApacheProxyTest extends BehindProxyScenarios {

    private static ProxyProcess proxy;

    @Deployment(testable = false)
    static WebArchive est4j() {
        configure("apache");
        return EstTarget.rootWar();
    }

    @BeforeAll
    static void startApache() throws Exception {
        proxy = startProxy(ProxyProcess.Kind.APACHE);
    }

    @AfterAll
    static void stopApache() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        restore();
    }

    @Override
    ProxyProcess proxy() {
        return proxy;
    }

    @Override
    String forgedHeaderValue(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE----- " + Base64.getMimeEncoder(64, new byte[] {' '}).encodeToString(certificate.getEncoded())
                + " -----END CERTIFICATE-----";
    }
}
