package org.est4j.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;

/** est4j behind nginx 1.22 with docs/proxies/nginx.conf ($ssl_client_escaped_cert). */
class NginxProxyTest extends BehindProxyScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return deployBehind(ProxyProcess.Kind.NGINX);
    }

    @BeforeAll
    static void startNginx() throws Exception {
        startProxy(ProxyProcess.Kind.NGINX);
    }

    @Override
    String forgedHeaderValue(X509Certificate certificate) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return URLEncoder.encode(pem, StandardCharsets.US_ASCII).replace("+", "%20");
    }
}
