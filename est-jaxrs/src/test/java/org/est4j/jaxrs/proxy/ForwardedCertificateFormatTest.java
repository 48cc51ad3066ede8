package org.est4j.jaxrs.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.GeneralName;
import org.est4j.jaxrs.TestPki;
import org.junit.jupiter.api.Test;

class ForwardedCertificateFormatTest {

    private static final TestPki.Ca ROOT = TestPki.ca("Proxy Test Root");
    private static final X509Certificate LEAF = ROOT.issue("CN=device-1", TestPki.ecKey().getPublic(),
            new GeneralName[] {TestPki.dns("device-1.example")});
    private static final X509Certificate INTERMEDIATE = ROOT.issue("CN=Intermediate", TestPki.ecKey().getPublic(), null);

    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    private ForwardedCertificateFormatTest with(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(), n -> new ArrayList<>()).add(value);
        return this;
    }

    private List<X509Certificate> parse(ForwardedCertificateFormat format, String header, String chainHeader) throws ForwardedHeaderException {
        return format.parse(name -> headers.getOrDefault(name.toLowerCase(), List.of()),
                new ForwardedCertificateFormat.Settings(header == null ? format.defaultHeader() : header, chainHeader, 3));
    }

    private List<X509Certificate> parse(ForwardedCertificateFormat format) throws ForwardedHeaderException {
        return parse(format, null, null);
    }

    private String malformed(ForwardedCertificateFormat format) {
        return assertThrows(ForwardedHeaderException.class, () -> parse(format)).getMessage();
    }

    // ---- each format, as the proxy writes it

    @Test
    void nginxEscapedPem() throws Exception {
        assertEquals(List.of(LEAF), with("X-SSL-Client-Cert", Captured.nginx(LEAF)).parse(ForwardedCertificateFormat.NGINX));
    }

    @Test
    void nginxLegacyTabFoldedPem() throws Exception {
        assertEquals(List.of(LEAF), with("X-SSL-Client-Cert", Captured.nginxLegacy(LEAF)).parse(ForwardedCertificateFormat.NGINX_LEGACY));
    }

    @Test
    void apachePemWithSpacesAndChain() throws Exception {
        with("X-SSL-Client-Cert", Captured.apache(LEAF)).with("X-SSL-Client-Cert-Chain-0", Captured.apache(INTERMEDIATE))
                .with("X-SSL-Client-Cert-Chain-1", "(null)");
        assertEquals(List.of(LEAF, INTERMEDIATE), parse(ForwardedCertificateFormat.APACHE, null, "X-SSL-Client-Cert-Chain-"));
    }

    @Test
    void apacheNullMeansNoCertificate() throws Exception {
        assertEquals(List.of(), with("X-SSL-Client-Cert", "(null)").parse(ForwardedCertificateFormat.APACHE));
    }

    @Test
    void haproxyBase64Der() throws Exception {
        assertEquals(List.of(LEAF), with("X-SSL-Client-Cert", Captured.haproxy(LEAF)).parse(ForwardedCertificateFormat.HAPROXY));
    }

    @Test
    void rfc9440CertificateAndChain() throws Exception {
        with("Client-Cert", Captured.sfBinary(LEAF)).with("Client-Cert-Chain", Captured.sfBinary(INTERMEDIATE) + ", " + Captured.sfBinary(ROOT.certificate()));
        assertEquals(List.of(LEAF, INTERMEDIATE, ROOT.certificate()), parse(ForwardedCertificateFormat.RFC9440));
    }

    @Test
    void rfc9440ChainSplitOverSeveralFieldLines() throws Exception {
        with("Client-Cert", Captured.sfBinary(LEAF)).with("Client-Cert-Chain", Captured.sfBinary(INTERMEDIATE))
                .with("Client-Cert-Chain", Captured.sfBinary(ROOT.certificate()));
        assertEquals(3, parse(ForwardedCertificateFormat.RFC9440).size());
    }

    @Test
    void envoyUsesTheLastElementAppendedByTheTrustedProxy() throws Exception {
        X509Certificate other = ROOT.issue("CN=spoofed-by-an-earlier-hop", TestPki.ecKey().getPublic(), null);
        with("X-Forwarded-Client-Cert", Captured.envoy(other, List.of(other)) + "," + Captured.envoy(LEAF, List.of(LEAF, INTERMEDIATE)));
        assertEquals(List.of(LEAF, INTERMEDIATE), parse(ForwardedCertificateFormat.ENVOY));
    }

    @Test
    void envoyWithoutCertificateGivesNone() throws Exception {
        with("X-Forwarded-Client-Cert", "By=spiffe://cluster.local/ns/est/sa/est4j;Hash=abc;Subject=\"\";URI=");
        assertEquals(List.of(), parse(ForwardedCertificateFormat.ENVOY));
    }

    @Test
    void awsAlbPassThroughChainAndVerifyModeLeaf() throws Exception {
        String chain = Captured.alb(LEAF, INTERMEDIATE);
        assertTrue(chain.contains("+") || chain.contains("/") || chain.contains("="), "ALB keeps + / = literal");
        assertEquals(List.of(LEAF, INTERMEDIATE), with("X-Amzn-Mtls-Clientcert", chain).parse(ForwardedCertificateFormat.AWS_ALB));
        headers.clear();
        assertEquals(List.of(LEAF), with("X-Amzn-Mtls-Clientcert-Leaf", Captured.alb(LEAF)).parse(ForwardedCertificateFormat.AWS_ALB));
    }

    @Test
    void absentOrEmptyHeaderMeansNoCertificate() throws Exception {
        for (ForwardedCertificateFormat f : ForwardedCertificateFormat.values()) {
            headers.clear();
            assertEquals(List.of(), parse(f), f.configName());
        }
        with("X-SSL-Client-Cert", "");
        assertEquals(List.of(), parse(ForwardedCertificateFormat.NGINX), "nginx sends an empty value without a certificate");
    }

    @Test
    void customHeaderNames() throws Exception {
        with("X-Client-Certificate", Captured.haproxy(LEAF));
        assertEquals(List.of(LEAF), parse(ForwardedCertificateFormat.HAPROXY, "X-Client-Certificate", null));
    }

    // ---- malformed variants: each a distinct 400 reason, never the header value

    @Test
    void repeatedHeaderIsRefused() throws Exception {
        with("X-SSL-Client-Cert", Captured.haproxy(LEAF)).with("X-SSL-Client-Cert", Captured.haproxy(LEAF));
        assertTrue(malformed(ForwardedCertificateFormat.HAPROXY).contains("appears 2 times"));
    }

    @Test
    void garbageInEachFormatIsRefusedWithoutEchoingIt() {
        String garbage = "not-a-certificate-SECRETVALUE";
        for (ForwardedCertificateFormat f : ForwardedCertificateFormat.values()) {
            headers.clear();
            with(f.defaultHeader(), garbage);
            String reason = malformed(f);
            assertFalse(reason.contains("SECRETVALUE"), reason);
            assertTrue(reason.contains(f.defaultHeader()), reason);
        }
    }

    @Test
    void badPercentEscapeIsRefused() {
        with("X-SSL-Client-Cert", "%2D%2D%ZZ");
        assertTrue(malformed(ForwardedCertificateFormat.NGINX).contains("%-escape"));
    }

    @Test
    void pemWithoutEndIsRefused() {
        with("X-SSL-Client-Cert", Captured.apache(LEAF).replace("-----END CERTIFICATE-----", ""));
        assertTrue(malformed(ForwardedCertificateFormat.APACHE).contains("END"));
    }

    @Test
    void twoCertificatesWhereOneIsExpectedAreRefused() {
        with("X-SSL-Client-Cert", Captured.pem(LEAF, INTERMEDIATE).replace('\n', ' '));
        assertTrue(malformed(ForwardedCertificateFormat.APACHE).contains("more than 1 certificate"));
    }

    @Test
    void validBase64ThatIsNoCertificateIsRefused() {
        with("X-SSL-Client-Cert", "MIIBCgKCAQEA");
        assertTrue(malformed(ForwardedCertificateFormat.HAPROXY).contains("X.509"));
    }

    @Test
    void rfc9440ViolationsAreEachNamed() throws Exception {
        with("Client-Cert", Captured.haproxy(LEAF));
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("byte sequence"), "missing colons");
        headers.clear();
        with("Client-Cert", Captured.sfBinary(LEAF)).with("Client-Cert", Captured.sfBinary(LEAF));
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("appears 2 times"), "two fields");
        headers.clear();
        with("Client-Cert", Captured.sfBinary(LEAF) + ", " + Captured.sfBinary(LEAF));
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("not a list"), "a list in Client-Cert");
        headers.clear();
        with("Client-Cert-Chain", Captured.sfBinary(INTERMEDIATE));
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("without Client-Cert"), "chain alone");
        headers.clear();
        with("Client-Cert", "::");
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("empty"), "empty byte sequence");
        headers.clear();
        with("Client-Cert", Captured.sfBinary(LEAF)).with("Client-Cert-Chain", String.join(", ",
                Captured.sfBinary(INTERMEDIATE), Captured.sfBinary(INTERMEDIATE), Captured.sfBinary(INTERMEDIATE)));
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("longer than"), "chain over the cap (3)");
        headers.clear();
        with("Client-Cert", Captured.sfBinary(LEAF)).with("Client-Cert-Chain", Captured.sfBinary(INTERMEDIATE) + ",");
        assertTrue(malformed(ForwardedCertificateFormat.RFC9440).contains("byte sequence"), "trailing comma");
    }

    @Test
    void envoySyntaxErrorsAreRefused() {
        with("X-Forwarded-Client-Cert", "Cert=\"unterminated");
        assertTrue(malformed(ForwardedCertificateFormat.ENVOY).contains("unterminated"));
        headers.clear();
        with("X-Forwarded-Client-Cert", "justtext");
        assertTrue(malformed(ForwardedCertificateFormat.ENVOY).contains("key=value"));
        headers.clear();
        with("X-Forwarded-Client-Cert", "Hash=abc,,Hash=def");
        assertTrue(malformed(ForwardedCertificateFormat.ENVOY).contains("empty element"));
    }

    @Test
    void oversizedHeaderIsRefused() {
        with("X-SSL-Client-Cert", "A".repeat(CertificateText.MAX_HEADER_CHARS + 4));
        assertTrue(malformed(ForwardedCertificateFormat.HAPROXY).contains("longer than"));
    }

    @Test
    void apacheChainOverTheCapIsRefused() throws Exception {
        with("X-SSL-Client-Cert", Captured.apache(LEAF));
        for (int i = 0; i < 3; i++) {
            with("X-SSL-Client-Cert-Chain-" + i, Captured.apache(INTERMEDIATE));
        }
        assertThrows(ForwardedHeaderException.class, () -> parse(ForwardedCertificateFormat.APACHE, null, "X-SSL-Client-Cert-Chain-"));
    }

    /** Found by fuzzing: the END line was searched from the BEGIN line's start, and overlapping markers made a 500. */
    @Test
    void overlappingPemMarkersAreRefused() {
        ForwardedHeaderException e = assertThrows(ForwardedHeaderException.class, () -> with("X-SSL-Client-Cert",
                "-----BEGIN CERTIFICATE-----END CERTIFICATE-----").parse(ForwardedCertificateFormat.NGINX_LEGACY));
        assertEquals("the X-SSL-Client-Cert header has a PEM certificate without its END line", e.getMessage());
    }
}
