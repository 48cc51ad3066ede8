package org.est4j.jaxrs.policy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;

import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;
import org.junit.jupiter.api.Test;

/** What the default request policy certifies and what it refuses, each refusal naming its rule. */
class RequestPolicyTest {

    private static final RequestPolicy POLICY = RequestPolicy.DEFAULTS;

    /** A request signed by {@code keys} with {@code algorithm}, decoded as est4j decodes every request. */
    private static CertificationRequest request(KeyPair keys, String algorithm, X500Name subject, ExtensionsGenerator extensions) {
        try {
            JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
            if (extensions != null && !extensions.isEmpty()) {
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            byte[] der = b.build(new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER).build(keys.getPrivate())).getEncoded();
            return CsrDecoder.decode(der).request();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificationRequest request(X500Name subject, GeneralName... sans) {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        if (sans.length > 0) {
            try {
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return request(TestPki.ecKey(), "SHA256withECDSA", subject, ext);
    }

    private static String refusal(CertificationRequest request) {
        return assertThrows(CsrRejectedException.class, () -> POLICY.check(request)).getMessage();
    }

    private static void assertRefused(CertificationRequest request, String part) {
        String reason = refusal(request);
        assertTrue(reason.contains(part), reason);
    }

    private static KeyPair generate(String algorithm, Object spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, BouncyCastle.PROVIDER);
        if (spec instanceof Integer bits) {
            g.initialize(bits);
        } else {
            g.initialize((java.security.spec.AlgorithmParameterSpec) spec);
        }
        return g.generateKeyPair();
    }

    private static final X500Name DEVICE = new X500Name("CN=device-1,O=Example");

    @Test
    void anOrdinaryRequestPasses() {
        assertDoesNotThrow(() -> POLICY.check(request(DEVICE, TestPki.dns("device-1.example"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.1"), new GeneralName(GeneralName.rfc822Name, "ops@example.org"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"))));
        assertDoesNotThrow(() -> POLICY.check(request(generate("RSA", 2048), "SHA256withRSA", DEVICE, null)));
        assertDoesNotThrow(() -> POLICY.check(request(generate("EC", new ECGenParameterSpec("secp384r1")), "SHA384withECDSA", DEVICE, null)));
        assertDoesNotThrow(() -> POLICY.check(request(generate("EC", new ECGenParameterSpec("secp521r1")), "SHA512withECDSA", DEVICE, null)));
        assertDoesNotThrow(() -> POLICY.check(request(generate("Ed25519", new org.bouncycastle.jcajce.spec.EdDSAParameterSpec("Ed25519")),
                "Ed25519", DEVICE, null)));
        assertDoesNotThrow(() -> POLICY.check(request(generate("Ed448", new org.bouncycastle.jcajce.spec.EdDSAParameterSpec("Ed448")),
                "Ed448", DEVICE, null)));
        assertDoesNotThrow(() -> POLICY.check(request(generate("RSA", 2048), "SHA256withRSAandMGF1", DEVICE, null)), "RSASSA-PSS, SHA-256");
    }

    @Test
    void weakAndUnusualKeysAreRefused() throws Exception {
        assertEquals("refused by the request policy (keys): an RSA key of 1024 bits is not allowed; allowed: RSA 2048-8192 bits, P-256, "
                + "P-384, P-521, Ed25519, Ed448", refusal(request(generate("RSA", 1024), "SHA256withRSA", DEVICE, null)));
        assertRefused(request(generate("RSA", 512), "SHA256withRSA", DEVICE, null), "RSA key of 512 bits");
        assertRefused(request(generate("DSA", 2048), "SHA256withDSA", DEVICE, null), "(keys): a DSA key is not allowed");
        assertRefused(request(generate("EC", new ECGenParameterSpec("secp256k1")), "SHA256withECDSA", DEVICE, null),
                "(keys): the EC key is on curve secp256k1");
        assertRefused(request(generate("EC", new ECGenParameterSpec("secp192r1")), "SHA256withECDSA", DEVICE, null), "curve prime192v1"); // P-192
        assertRefused(request(generate("EC", new ECGenParameterSpec("sect283k1")), "SHA256withECDSA", DEVICE, null), "curve sect283k1");
    }

    @Test
    void anRsaKeyOver8192BitsIsRefused() throws Exception {
        // a 16384-bit modulus without generating the key pair (that takes minutes): only the public key is judged
        PublicKey huge = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(BigInteger.ONE.shiftLeft(16383).setBit(0),
                BigInteger.valueOf(65537)));
        CertificationRequest template = request(DEVICE);
        CertificationRequest request = template.withPublicKey(huge);
        assertRefused(request, "an RSA key of 16384 bits is not allowed");
    }

    @Test
    void md5AndSha1SignaturesAreRefused() throws Exception {
        KeyPair rsa = generate("RSA", 2048);
        assertEquals("refused by the request policy (signature): the request is signed with MD5WITHRSA: MD5 and SHA-1 signatures are "
                + "broken; allowed digests: SHA-256, SHA-384, SHA-512, SHA3-256, SHA3-384, SHA3-512",
                refusal(request(rsa, "MD5withRSA", DEVICE, null)));
        assertRefused(request(rsa, "SHA1withRSA", DEVICE, null), "(signature): the request is signed with SHA1WITHRSA");
        assertRefused(request(TestPki.ecKey(), "SHA1withECDSA", DEVICE, null), "(signature)");
        assertRefused(request(rsa, "SHA1withRSAandMGF1", DEVICE, null), "(signature)");
    }

    @Test
    void aServerGeneratedKeysTemplateIsNotJudgedByItsSignature() throws Exception {
        CertificationRequest sha1Template = request(generate("RSA", 2048), "SHA1withRSA", DEVICE, null);
        assertDoesNotThrow(() -> POLICY.check(sha1Template.withPublicKey(TestPki.ecKey().getPublic())));
    }

    @Test
    void namesOutsideRfc5280AreRefused() {
        assertEquals("refused by the request policy (names): the subject's CN contains the control character U+0000",
                refusal(request(new X500Name("CN=dev\u0000ice"))));
        assertEquals("refused by the request policy (names): the subject's CN contains the control character U+000D",
                refusal(request(new X500Name("CN=a\r\nSEVERE: FAKE"))));
        assertEquals("refused by the request policy (names): the subject's CN is 20000 characters long; RFC 5280 allows 64",
                refusal(request(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, new DERUTF8String("x".repeat(20000))).build())));
        assertRefused(request(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, new org.bouncycastle.asn1.DERPrintableString("DEU"))
                .addRDN(BCStyle.CN, "x").build()), "two-letter country code");
        X500Name emptyValue = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, new DERUTF8String("")).build();
        assertEquals("refused by the request policy (names): the subject's CN is empty", refusal(request(emptyValue)));
    }

    @Test
    void dnsNamesMustBeLdhOrALabels() {
        assertEquals("refused by the request policy (names): the subjectAltName dNSName is empty", refusal(request(DEVICE, TestPki.dns(""))));
        assertRefused(request(DEVICE, TestPki.dns("bücher.example")), "not a DNS name of letters, digits and hyphens");
        assertRefused(request(DEVICE, TestPki.dns("-lead.example")), "(names)");
        assertRefused(request(DEVICE, TestPki.dns("a..example")), "(names)");
        assertRefused(request(DEVICE, TestPki.dns("xn--zzzzz-9999.example")), "not a valid IDNA A-label");
        assertRefused(request(DEVICE, TestPki.dns("a" + ".b".repeat(130))), "longer than 253");
        assertDoesNotThrow(() -> POLICY.check(request(DEVICE, TestPki.dns("xn--bcher-kva.example"))), "bücher as an A-label");
        assertDoesNotThrow(() -> POLICY.check(request(DEVICE, TestPki.dns("*.iot.example"))));
        assertRefused(request(DEVICE, new GeneralName(GeneralName.rfc822Name, "no-at-sign")), "rfc822Name");
        assertRefused(request(DEVICE, new GeneralName(GeneralName.uniformResourceIdentifier, "relative/path")), "URI");
    }

    @Test
    void anEmptySubjectNeedsASubjectAltName() {
        assertEquals("refused by the request policy (subject): the subject is empty and there is no subjectAltName: a certificate must"
                + " name someone (RFC 5280 section 4.2.1.6)", refusal(request(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]))));
        assertDoesNotThrow(() -> POLICY.check(request(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), TestPki.dns("anon.example"))));
    }

    @Test
    void anEmptyRdnIsRefusedWithOrWithoutASubjectAltName() {
        X500Name emptyRdn = X500Name.getInstance(new DERSequence(new DERSet())); // 30 02 31 00, the finding's subject
        assertEquals("refused by the request policy (names): the subject has an empty relative distinguished name",
                refusal(request(emptyRdn, TestPki.dns("x.example"))));
        assertEquals("refused by the request policy (names): the subject has an empty relative distinguished name",
                refusal(request(emptyRdn)));
    }

    @Test
    void unknownCriticalExtensionsAreRefusedAndKnownOnesPass() throws Exception {
        ExtensionsGenerator unknown = new ExtensionsGenerator();
        unknown.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x"));
        assertEquals("refused by the request policy (extensions): the request asks for the critical extension 1.3.6.1.4.1.99999.1, "
                + "which this CA does not know (RFC 5280 section 4.2)", refusal(request(TestPki.ecKey(), "SHA256withECDSA", DEVICE, unknown)));
        ExtensionsGenerator known = new ExtensionsGenerator();
        known.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(TestPki.dns("device-1.example")));
        known.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2"), false, new DERUTF8String("ignored"));
        assertDoesNotThrow(() -> POLICY.check(request(TestPki.ecKey(), "SHA256withECDSA", DEVICE, known)));
    }

    @Test
    void aStricterPolicyIsConfigurable() throws Exception {
        RequestPolicy onlyP384 = new RequestPolicy(RequestPolicy.parseKeys("EC-P384, RSA-3072-4096"), RequestPolicy.parseDigests("SHA-384"));
        assertThrows(CsrRejectedException.class, () -> onlyP384.check(request(DEVICE)));
        assertDoesNotThrow(() -> onlyP384.check(request(generate("EC", new ECGenParameterSpec("secp384r1")), "SHA384withECDSA", DEVICE, null)));
        assertThrows(CsrRejectedException.class,
                () -> onlyP384.check(request(generate("EC", new ECGenParameterSpec("secp384r1")), "SHA256withECDSA", DEVICE, null)));
        assertThrows(IllegalArgumentException.class, () -> RequestPolicy.parseKeys("RSA-1024-512"));
        assertThrows(IllegalArgumentException.class, () -> RequestPolicy.parseKeys("EC-P192"));
        assertThrows(IllegalArgumentException.class, () -> new RequestPolicy(RequestPolicy.DEFAULTS.keys(), RequestPolicy.parseDigests("SHA-999")));
    }
}
