package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.Servlets;
import org.est4j.jaxrs.proxy.ClientCertificateFilter;
import org.est4j.jaxrs.proxy.ProxyConfig;

/**
 * Every forwarded client-certificate format (proxy/ForwardedCertificateFormat, with proxy/CertificateText
 * and proxy/Xfcc), through the public {@link ClientCertificateFilter} exactly as a trusted proxy's
 * request reaches it. Documented outcomes: the request is passed on (with at most
 * max-chain-length certificates as the X.509 attribute, the forwarded headers hidden downstream), or
 * refused with 400 and a one-line reason that never contains the header value (a
 * ForwardedHeaderException inside the filter). An exception out of the filter is a finding.
 *
 * <p>Input: lines separated by LF. A line {@code Name: value} is a header (a name may repeat); any
 * other line is one more value of the format's certificate header. Decoded as UTF-8 and as ISO-8859-1.
 */
class ForwardedCertificateFuzzTest {

    static {
        Fuzzing.init();
    }

    private static final String PROXY = "127.0.0.1";
    /** Longer than any reason the parsers write; a reason this long would have copied a header value. */
    private static final int MAX_REASON = 200;

    /** One proxy configuration: its filter and the headers it reads. */
    private record Setup(ProxyConfig config, ClientCertificateFilter filter, boolean checksProto) {
        static Setup of(String format, String... settings) {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("proxy.trusted-addresses", PROXY);
            map.put("proxy.client-cert.format", format);
            for (int i = 0; i < settings.length; i += 2) {
                map.put(settings[i], settings[i + 1]);
            }
            ProxyConfig config = ProxyConfig.parse(map);
            return new Setup(config, new ClientCertificateFilter(config), config.forwardedProtoHeader() != null);
        }
    }

    private static final Setup NGINX = Setup.of("nginx");
    private static final Setup NGINX_LEGACY = Setup.of("nginx-legacy");
    private static final Setup APACHE = Setup.of("apache", "proxy.client-cert.chain-header", "X-SSL-Client-Cert-Chain-",
            "proxy.client-cert.max-chain-length", "3");
    private static final Setup HAPROXY = Setup.of("haproxy", "proxy.channel-binding-header", "X-SSL-Channel-Binding",
            "proxy.tls-protocol-header", "X-SSL-Protocol", "proxy.forwarded-proto-header", "X-Forwarded-Proto",
            "proxy.client-cert.verify-header", "X-SSL-Client-Verify");
    private static final Setup RFC9440 = Setup.of("rfc9440", "proxy.client-cert.max-chain-length", "3");
    private static final Setup ENVOY = Setup.of("envoy", "proxy.client-cert.max-chain-length", "3");
    private static final Setup AWS_ALB = Setup.of("aws-alb", "proxy.client-cert.max-chain-length", "3");

    /** nginx {@code $ssl_client_escaped_cert}: URL-encoded PEM. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void nginx(byte[] input) throws Exception {
        run(NGINX, input);
    }

    /** nginx {@code $ssl_client_cert}: PEM with tab-led continuation lines. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void nginxLegacy(byte[] input) throws Exception {
        run(NGINX_LEGACY, input);
    }

    /** Apache mod_ssl: PEM with spaces for line breaks, {@code (null)}, chain headers {@code X-SSL-Client-Cert-Chain-0..n}. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void apache(byte[] input) throws Exception {
        run(APACHE, input);
    }

    /** HAProxy: base64 DER, plus the channel-binding, TLS-protocol, verify and forwarded-proto headers. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void haproxy(byte[] input) throws Exception {
        run(HAPROXY, input);
    }

    /** RFC 9440 {@code Client-Cert} / {@code Client-Cert-Chain} structured-field byte sequences. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void rfc9440(byte[] input) throws Exception {
        run(RFC9440, input);
    }

    /** Envoy {@code x-forwarded-client-cert} (Xfcc tokenizer, URL-encoded PEM Cert and Chain). */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void envoy(byte[] input) throws Exception {
        run(ENVOY, input);
    }

    /** AWS ALB {@code X-Amzn-Mtls-Clientcert} (chain) and {@code X-Amzn-Mtls-Clientcert-Leaf}. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void awsAlb(byte[] input) throws Exception {
        run(AWS_ALB, input);
    }

    private static void run(Setup setup, byte[] input) throws Exception {
        for (String text : Fuzzing.decodings(input)) {
            Servlets.Request request = new Servlets.Request();
            request.remoteAddress = PROXY;
            request.localPort = 8443;
            for (String line : text.split("\n", -1)) {
                addHeader(request, setup.config().header(), line);
            }
            check(setup, request);
        }
    }

    /** {@code Name: value} (a token, a colon, optional blanks) or, otherwise, a value of the certificate header. */
    private static void addHeader(Servlets.Request request, String certificateHeader, String line) {
        int colon = line.indexOf(':');
        if (colon > 0 && isToken(line, colon)) {
            int from = colon + 1;
            int to = line.length();
            while (from < to && (line.charAt(from) == ' ' || line.charAt(from) == '\t')) {
                from++;
            }
            while (to > from && (line.charAt(to - 1) == ' ' || line.charAt(to - 1) == '\t')) {
                to--;
            }
            request.header(line.substring(0, colon), line.substring(from, to));
        } else if (!line.isEmpty()) {
            request.header(certificateHeader, line);
        }
    }

    private static boolean isToken(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static void check(Setup setup, Servlets.Request request) throws Exception {
        Servlets.Response response = new Servlets.Response();
        HttpServletRequest[] downstream = new HttpServletRequest[1];
        setup.filter().doFilter(request.servlet(), response.servlet(), (req, res) -> {
            assertNull(downstream[0], "the chain runs once");
            downstream[0] = (HttpServletRequest) req;
        });
        if (!response.text().isEmpty()) { // refused: the filter wrote its reply
            assertNull(downstream[0], "a refused request must not be passed on");
            int status = response.status;
            if (status == 403) {
                assertTrue(setup.checksProto(), "403 is only for a client side that was not HTTPS");
                return;
            }
            assertEquals(400, status, "a malformed forwarded header is a 400");
            String body = response.text();
            assertTrue(body.startsWith("400 ") && body.endsWith("\n"), () -> "the refusal body is '400 <reason>\\n': " + body);
            String reason = body.substring(4, body.length() - 1);
            Fuzzing.assertOneLine("the 400 reason", reason);
            assertTrue(reason.length() <= MAX_REASON, () -> "the reason must not carry the header value: " + reason);
            return;
        }
        assertNotNull(downstream[0], "the request was neither refused nor passed on");
        ProxyConfig config = setup.config();
        assertNull(downstream[0].getHeader(config.header()), "the certificate header is hidden downstream");
        assertFalse(downstream[0].getHeaders(config.header()).hasMoreElements(), "the certificate header is hidden downstream");
        Object attribute = request.attributes.get(HttpRequestInfo.X509_ATTRIBUTE);
        if (attribute != null) {
            if (!(attribute instanceof X509Certificate[] chain)) {
                fail("the X.509 attribute is a " + attribute.getClass());
                return;
            }
            assertTrue(chain.length >= 1 && chain.length <= config.maxChainLength(),
                    () -> chain.length + " certificates forwarded, at most " + config.maxChainLength() + " allowed");
            for (X509Certificate c : chain) {
                assertNotNull(c, "a forwarded certificate");
            }
        }
        Object binding = request.attributes.get(ClientCertificateFilter.CHANNEL_BINDING_ATTRIBUTE);
        if (binding != null) {
            assertTrue(binding instanceof byte[] b && b.length > 0, "the channel binding attribute is the non-empty octets");
        }
    }
}
