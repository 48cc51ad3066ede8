package org.est4j.jaxrs.proxy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a TLS terminator writes the client certificate into request headers. Chosen explicitly by
 * configuration: est4j never guesses between formats, since a header one proxy overwrites may be
 * one another proxy passes through untouched.
 */
public enum ForwardedCertificateFormat {

    /** nginx {@code $ssl_client_escaped_cert}: URL-encoded PEM of the leaf. */
    NGINX("nginx", "X-SSL-Client-Cert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String v = present(headers, s.header());
            return v == null ? List.of() : one(s.header(), CertificateText.pem(s.header(), CertificateText.percentDecode(s.header(), v), 1));
        }
    },

    /** nginx's older {@code $ssl_client_cert}: PEM whose continuation lines start with a tab (folded to spaces on the way). */
    NGINX_LEGACY("nginx-legacy", "X-SSL-Client-Cert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String v = present(headers, s.header());
            return v == null ? List.of() : one(s.header(), CertificateText.pem(s.header(), v, 1));
        }
    },

    /**
     * Apache httpd mod_ssl {@code SSL_CLIENT_CERT} through {@code RequestHeader set}: PEM with line
     * breaks turned into spaces, {@code (null)} without a certificate; the chain, when configured,
     * from {@code SSL_CLIENT_CERT_CHAIN_n} in headers {@code <chain-header>0}, {@code 1}, ...
     */
    APACHE("apache", "X-SSL-Client-Cert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String v = present(headers, s.header());
            if (v == null || v.equals("(null)")) {
                return List.of();
            }
            List<X509Certificate> chain = new ArrayList<>(one(s.header(), CertificateText.pem(s.header(), v, 1)));
            if (s.chainHeader() != null) {
                for (int i = 0; ; i++) {
                    String name = s.chainHeader() + i;
                    String c = present(headers, name);
                    if (c == null || c.equals("(null)")) {
                        break;
                    }
                    if (chain.size() == s.maxChainLength()) {
                        throw new ForwardedHeaderException("the forwarded chain is longer than " + s.maxChainLength() + " certificates");
                    }
                    chain.addAll(one(name, CertificateText.pem(name, c, 1)));
                }
            }
            return chain;
        }
    },

    /** HAProxy {@code %[ssl_c_der,base64]}: base64 DER of the leaf, no armour. */
    HAPROXY("haproxy", "X-SSL-Client-Cert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String v = present(headers, s.header());
            return v == null ? List.of() : List.of(CertificateText.der(s.header(), CertificateText.base64(s.header(), v)));
        }
    },

    /**
     * RFC 9440: {@code Client-Cert} is one structured-field byte sequence ({@code :base64 DER:}),
     * {@code Client-Cert-Chain} a list of them. Strict: one Client-Cert field, no chain without a
     * certificate, chain length capped.
     */
    RFC9440("rfc9440", "Client-Cert") {
        private final Pattern item = Pattern.compile("\\s*:([A-Za-z0-9+/]*={0,2}):\\s*");

        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String chainHeader = s.chainHeader() == null ? "Client-Cert-Chain" : s.chainHeader();
            String v = headers.single(s.header());
            List<String> chainFields = headers.values(chainHeader);
            if (v == null) {
                if (!chainFields.isEmpty()) {
                    throw new ForwardedHeaderException("the " + chainHeader + " header is present without " + s.header() + " (RFC 9440 section 2.3)");
                }
                return List.of();
            }
            CertificateText.checkLength(s.header(), v);
            if (v.contains(",")) {
                throw new ForwardedHeaderException("the " + s.header() + " header must be a single byte sequence, not a list (RFC 9440 section 2.2)");
            }
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(byteSequence(s.header(), v));
            String joined = String.join(",", chainFields);
            CertificateText.checkLength(chainHeader, joined);
            if (!joined.isBlank()) {
                for (String member : joined.split(",", -1)) {
                    if (chain.size() == s.maxChainLength()) {
                        throw new ForwardedHeaderException("the " + chainHeader + " header is longer than " + (s.maxChainLength() - 1) + " certificates");
                    }
                    chain.add(byteSequence(chainHeader, member));
                }
            }
            return chain;
        }

        private X509Certificate byteSequence(String name, String value) throws ForwardedHeaderException {
            Matcher m = item.matcher(value);
            if (!m.matches()) {
                throw new ForwardedHeaderException("the " + name + " header is not a structured-field byte sequence (:base64:) as RFC 9440 requires");
            }
            if (m.group(1).isEmpty()) {
                throw new ForwardedHeaderException("the " + name + " header holds an empty byte sequence");
            }
            return CertificateText.der(name, CertificateText.base64(name, m.group(1)));
        }
    },

    /**
     * Envoy {@code x-forwarded-client-cert}: comma-separated elements of {@code key=value} pairs
     * separated by ';', values optionally quoted; {@code Cert} and {@code Chain} are URL-encoded PEM.
     * Only the last element counts: it is the one the trusted proxy appended.
     */
    ENVOY("envoy", "X-Forwarded-Client-Cert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            List<String> values = headers.values(s.header());
            if (values.isEmpty()) {
                return List.of();
            }
            String all = String.join(",", values);
            CertificateText.checkLength(s.header(), all);
            List<List<String[]>> elements = Xfcc.parse(s.header(), all);
            List<String[]> last = elements.get(elements.size() - 1);
            String cert = Xfcc.get(last, "Cert");
            String chain = Xfcc.get(last, "Chain");
            List<X509Certificate> out = new ArrayList<>();
            if (cert != null) {
                out.addAll(one(s.header() + " Cert", CertificateText.pem(s.header() + " Cert", CertificateText.percentDecode(s.header(), cert), 1)));
            }
            if (chain != null) {
                for (X509Certificate c : CertificateText.pem(s.header() + " Chain", CertificateText.percentDecode(s.header(), chain), s.maxChainLength())) {
                    if (!out.contains(c)) {
                        out.add(c);
                    }
                }
            }
            if (out.size() > s.maxChainLength()) {
                throw new ForwardedHeaderException("the forwarded chain is longer than " + s.maxChainLength() + " certificates");
            }
            return out;
        }
    },

    /**
     * AWS Application Load Balancer mutual TLS: {@code X-Amzn-Mtls-Clientcert} (pass-through mode,
     * the URL-encoded PEM chain, leaf first) or {@code X-Amzn-Mtls-Clientcert-Leaf} (verify mode,
     * the URL-encoded PEM leaf). ALB leaves '+', '=' and '/' unescaped.
     */
    AWS_ALB("aws-alb", "X-Amzn-Mtls-Clientcert") {
        @Override
        List<X509Certificate> parse(HeaderSource headers, Settings s) throws ForwardedHeaderException {
            String chain = present(headers, s.header());
            if (chain != null) {
                return CertificateText.pem(s.header(), CertificateText.percentDecode(s.header(), chain), s.maxChainLength());
            }
            String leafHeader = s.header() + "-Leaf";
            String leaf = present(headers, leafHeader);
            return leaf == null ? List.of()
                    : one(leafHeader, CertificateText.pem(leafHeader, CertificateText.percentDecode(leafHeader, leaf), 1));
        }
    };

    /** What a parser needs from the configuration. */
    record Settings(String header, String chainHeader, int maxChainLength) {
    }

    private final String configName;
    private final String defaultHeader;

    ForwardedCertificateFormat(String configName, String defaultHeader) {
        this.configName = configName;
        this.defaultHeader = defaultHeader;
    }

    public String configName() {
        return configName;
    }

    public String defaultHeader() {
        return defaultHeader;
    }

    /** The forwarded chain, leaf first; empty when the proxy says the client sent no certificate. */
    abstract List<X509Certificate> parse(HeaderSource headers, Settings settings) throws ForwardedHeaderException;

    public static ForwardedCertificateFormat fromConfig(String value) {
        for (ForwardedCertificateFormat f : values()) {
            if (f.configName.equals(value.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("expected one of "
                + Arrays.stream(values()).map(ForwardedCertificateFormat::configName).collect(Collectors.joining(", ")));
    }

    /** The single value of a header, null when absent or empty (a proxy with nothing to say sends it empty). */
    private static String present(HeaderSource headers, String name) throws ForwardedHeaderException {
        String v = headers.single(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        CertificateText.checkLength(name, v);
        return v.strip();
    }

    private static List<X509Certificate> one(String name, List<X509Certificate> certs) throws ForwardedHeaderException {
        if (certs.size() != 1) {
            throw new ForwardedHeaderException("the " + name + " header must hold exactly one certificate");
        }
        return certs;
    }
}
