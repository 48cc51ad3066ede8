package org.est4j.it;

import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** est4j behind HAProxy 2.6 with docs/proxies/haproxy.cfg (%[ssl_c_der,base64]). */
class HaproxyProxyTest extends BehindProxyScenarios {

    private static ProxyProcess proxy;

    @Deployment(testable = false)
    static WebArchive est4j() {
        configure("haproxy");
        return EstTarget.rootWar();
    }

    @BeforeAll
    static void startHaproxy() throws Exception {
        proxy = startProxy(ProxyProcess.Kind.HAPROXY);
    }

    @AfterAll
    static void stopHaproxy() throws Exception {
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
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
    }
}
