package org.est4j.it;

import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;

/** est4j behind HAProxy 2.6 with docs/proxies/haproxy.cfg (%[ssl_c_der,base64]). */
class HaproxyProxyTest extends BehindProxyScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return deployBehind(ProxyProcess.Kind.HAPROXY);
    }

    @BeforeAll
    static void startHaproxy() throws Exception {
        startProxy(ProxyProcess.Kind.HAPROXY);
    }

    @Override
    String forgedHeaderValue(X509Certificate certificate) throws Exception {
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
    }
}
