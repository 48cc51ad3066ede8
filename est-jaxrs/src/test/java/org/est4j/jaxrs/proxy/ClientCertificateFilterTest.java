package org.est4j.jaxrs.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.servlet.http.HttpServletRequest;

import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.Servlets;
import org.est4j.jaxrs.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PREPARE a request, TEST the filter with a recording chain, VERIFY what downstream saw. */
class ClientCertificateFilterTest {

    private static final TestPki.Ca ROOT = TestPki.ca("Filter Test Root");
    private static final X509Certificate CLIENT = ROOT.issue("CN=device-1", TestPki.ecKey().getPublic(), null);
    private static final X509Certificate PROXY_OWN = ROOT.issue("CN=proxy", TestPki.ecKey().getPublic(), null);

    private final List<LogRecord> warnings = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(ClientCertificateFilter.class.getName());

    /** What the rest of the application saw. */
    private HttpServletRequest downstream;

    @BeforeEach
    void captureLog() {
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(handler);
    }

    private static ClientCertificateFilter filter(String... keyValues) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("proxy.trusted-addresses", "127.0.0.1, ::1",
                "proxy.client-cert.format", "haproxy", "proxy.local-ports", "8081"));
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        ClientCertificateFilter f = new ClientCertificateFilter(ProxyConfig.parse(settings));
        f.init(null);
        return f;
    }

    private Servlets.Response run(ClientCertificateFilter f, Servlets.Request request) throws Exception {
        Servlets.Response response = new Servlets.Response();
        downstream = null;
        f.doFilter(request.servlet(), response.servlet(), (req, res) -> downstream = (HttpServletRequest) req);
        return response;
    }

    private static X509Certificate[] attribute(HttpServletRequest r) {
        return (X509Certificate[]) r.getAttribute(HttpRequestInfo.X509_ATTRIBUTE);
    }

    @Test
    void trustedProxyCertificateBecomesTheStandardAttributeAndTheHeaderIsConsumed() throws Exception {
        Servlets.Request request = new Servlets.Request().header("X-SSL-Client-Cert", Captured.haproxy(CLIENT)).header("Accept", "*/*");
        run(filter(), request);
        assertArrayEquals(new X509Certificate[] {CLIENT}, attribute(downstream));
        assertNull(downstream.getHeader("x-ssl-client-cert"));
        assertFalse(Collections.list(downstream.getHeaderNames()).contains("X-SSL-Client-Cert"));
        assertEquals("*/*", downstream.getHeader("Accept"));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void untrustedPeerGetsNoIdentityItsHeaderIsHiddenAndTheAttemptIsLoggedOncePerMinute() throws Exception {
        ClientCertificateFilter f = filter();
        for (int i = 0; i < 3; i++) {
            Servlets.Request spoof = new Servlets.Request().header("X-SSL-Client-Cert", Captured.haproxy(CLIENT));
            spoof.remoteAddress = "192.0.2.66";
            run(f, spoof);
            assertNull(attribute(downstream));
            assertNull(downstream.getHeader("X-SSL-Client-Cert"));
            assertFalse(downstream.getHeaders("X-SSL-Client-Cert").hasMoreElements());
        }
        assertEquals(1, warnings.size(), "once per peer per minute");
        String logged = warnings.get(0).getMessage() + java.util.Arrays.toString(warnings.get(0).getParameters());
        assertTrue(logged.contains("192.0.2.66"));
        assertFalse(logged.contains(Captured.haproxy(CLIENT).substring(0, 20)), "never the certificate");
    }

    @Test
    void aTrustedAddressOnAnotherConnectorIsNotTrusted() throws Exception {
        Servlets.Request direct = new Servlets.Request().header("X-SSL-Client-Cert", Captured.haproxy(CLIENT));
        direct.localPort = 8443;
        run(filter(), direct);
        assertNull(attribute(downstream));
        assertEquals(1, warnings.size());
    }

    @Test
    void aMalformedHeaderFromTheTrustedProxyIs400WithAReason() throws Exception {
        Servlets.Response response = run(filter(), new Servlets.Request().header("X-SSL-Client-Cert", "garbage!"));
        assertNull(downstream, "the request went no further");
        assertEquals(400, response.status);
        assertEquals("text/plain; charset=utf-8", response.contentType);
        assertEquals("400 the X-SSL-Client-Cert header is not valid base64\n", response.text());
    }

    @Test
    void plainHttpOnTheClientSideIsRefused() throws Exception {
        ClientCertificateFilter f = filter("proxy.forwarded-proto-header", "X-Forwarded-Proto");
        Servlets.Response response = run(f, new Servlets.Request().header("X-Forwarded-Proto", "http"));
        assertEquals(403, response.status);
        assertTrue(response.text().contains("HTTPS"));
        run(f, new Servlets.Request().header("X-Forwarded-Proto", "https"));
        assertTrue(downstream != null);
    }

    @Test
    void theProxysOwnContainerCertificateNeverStandsForTheClient() throws Exception {
        Servlets.Request noClientCert = new Servlets.Request();
        noClientCert.attributes.put(HttpRequestInfo.X509_ATTRIBUTE, new X509Certificate[] {PROXY_OWN});
        run(filter(), noClientCert);
        assertNull(attribute(downstream), "precedence=proxy: dropped");

        Servlets.Request both = new Servlets.Request().header("X-SSL-Client-Cert", Captured.haproxy(CLIENT));
        both.attributes.put(HttpRequestInfo.X509_ATTRIBUTE, new X509Certificate[] {PROXY_OWN});
        run(filter(), both);
        assertArrayEquals(new X509Certificate[] {CLIENT}, attribute(downstream));
    }

    @Test
    void precedenceContainerKeepsTheContainerCertificate() throws Exception {
        Servlets.Request both = new Servlets.Request().header("X-SSL-Client-Cert", Captured.haproxy(CLIENT));
        both.attributes.put(HttpRequestInfo.X509_ATTRIBUTE, new X509Certificate[] {PROXY_OWN});
        run(filter("proxy.client-cert.precedence", "container"), both);
        assertArrayEquals(new X509Certificate[] {PROXY_OWN}, attribute(downstream));
    }

    @Test
    void channelBindingAndProtocolAreForwardedAsAttributes() throws Exception {
        run(filter("proxy.channel-binding-header", "X-SSL-Channel-Binding", "proxy.tls-protocol-header", "X-SSL-Protocol"),
                new Servlets.Request().header("X-SSL-Channel-Binding", "AAECAwQFBgcICQoL").header("X-SSL-Protocol", "TLSv1.2"));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                (byte[]) downstream.getAttribute(ClientCertificateFilter.CHANNEL_BINDING_ATTRIBUTE));
        assertEquals("TLSv1.2", downstream.getAttribute(ClientCertificateFilter.TLS_PROTOCOL_ATTRIBUTE));
        assertNull(downstream.getHeader("X-SSL-Channel-Binding"));
    }

    @Test
    void theSameKeysWorkAsWebXmlInitParams() throws Exception {
        Map<String, String> params = Map.of("proxy.trusted-addresses", "127.0.0.1", "proxy.client-cert.format", "rfc9440");
        ClientCertificateFilter f = new ClientCertificateFilter();
        f.init(new jakarta.servlet.FilterConfig() {
            @Override
            public String getFilterName() {
                return "est4j-client-certificate";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(params.keySet());
            }
        });
        Servlets.Request request = new Servlets.Request().header("Client-Cert", Captured.sfBinary(CLIENT));
        request.localPort = 9999; // no local-ports restriction configured
        run(f, request);
        assertArrayEquals(new X509Certificate[] {CLIENT}, attribute(downstream));
    }

    @Test
    void aBadInitParamFailsTheFilterStartNamingTheKey() {
        ClientCertificateFilter f = new ClientCertificateFilter();
        jakarta.servlet.ServletException e = assertThrows(jakarta.servlet.ServletException.class, () -> f.init(new jakarta.servlet.FilterConfig() {
            @Override
            public String getFilterName() {
                return "f";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
                return null;
            }

            @Override
            public String getInitParameter(String name) {
                return "proxy.trusted-addresses".equals(name) ? "not-an-address" : "nginx";
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return Collections.enumeration(List.of("proxy.trusted-addresses", "proxy.client-cert.format"));
            }
        }));
        assertTrue(e.getMessage().contains("proxy.trusted-addresses"), e.getMessage());
    }

    @Test
    void configurationErrorsNameTheKey() {
        IllegalArgumentException noFormat = assertThrows(IllegalArgumentException.class,
                () -> ProxyConfig.parse(Map.of("proxy.trusted-addresses", "127.0.0.1")));
        assertTrue(noFormat.getMessage().contains("proxy.client-cert.format"));
        for (Map<String, String> bad : List.of(
                Map.of("proxy.trusted-addresses", "proxy.local", "proxy.client-cert.format", "nginx"),
                Map.of("proxy.trusted-addresses", "127.0.0.1", "proxy.client-cert.format", "traefik"),
                Map.of("proxy.trusted-addresses", "127.0.0.1", "proxy.client-cert.format", "nginx", "proxy.local-ports", "99999"),
                Map.of("proxy.trusted-addresses", "127.0.0.1", "proxy.client-cert.format", "nginx", "proxy.client-cert.header", "X Bad"),
                Map.of("proxy.trusted-addresses", "127.0.0.1", "proxy.client-cert.format", "nginx", "proxy.trusted", "x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.parse(bad));
            assertTrue(e.getMessage().contains("proxy."), e.getMessage());
        }
        assertFalse(ProxyConfig.enabled(Map.of("proxy.client-cert.format", "nginx")), "off without trusted addresses");
    }
}
