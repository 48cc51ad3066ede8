package org.est4j.jaxrs.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.crmf.jcajce.JcaCertificateRequestMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.proxy.Captured;
import org.est4j.jaxrs.auth.DigestAuthentication;
import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.packages.ReturnMessages;

/**
 * Writes the seed corpora of the fuzz tests (regression inputs, Jazzer's layout
 * {@code <package>/<TestClass>Inputs/<method>/<file>}): realistic requests and headers, made with fresh keys.
 * Not a test: run it by hand to regenerate the committed seeds (FUZZING.md),
 * {@code java -cp <test class path> org.est4j.jaxrs.fuzz.SeedCorpus est-jaxrs/src/test/resources}.
 */
final class SeedCorpus {

    private final Path resources;

    private SeedCorpus(Path resources) {
        this.resources = resources;
    }

    public static void main(String[] args) throws Exception {
        SeedCorpus seeds = new SeedCorpus(Path.of(args.length > 0 ? args[0] : "src/test/resources"));
        // further arguments name the groups to write (csr cmc proxy digest basic mediaTypes returns accept); none: all
        List<String> groups = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        Map<String, SeedGroup> all = new java.util.LinkedHashMap<>();
        all.put("csr", seeds::csr);
        all.put("cmc", seeds::cmc);
        all.put("proxy", seeds::proxy);
        all.put("digest", seeds::digest);
        all.put("basic", seeds::basic);
        all.put("mediaTypes", seeds::mediaTypes);
        all.put("returns", seeds::packageReturns);
        all.put("accept", seeds::acceptHeader);
        for (String group : groups) {
            if (!all.containsKey(group)) {
                throw new IllegalArgumentException("no seed group " + group + "; there are " + all.keySet());
            }
        }
        for (Map.Entry<String, SeedGroup> group : all.entrySet()) {
            if (groups.isEmpty() || groups.contains(group.getKey())) {
                group.getValue().write();
            }
        }
    }

    private interface SeedGroup {
        void write() throws Exception;
    }

    private void write(String testClass, String method, String name, byte[] content) throws IOException {
        if (content.length >= 8 * 1024) {
            throw new IllegalStateException(name + " is " + content.length + " bytes, seeds stay under 8 KiB");
        }
        String pkg = testClass.equals("MediaTypeFuzzTest") ? "org/est4j/jaxrs" : "org/est4j/jaxrs/fuzz";
        Path file = resources.resolve(pkg).resolve(testClass + "Inputs").resolve(method).resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private void write(String testClass, String method, String name, String content) throws IOException {
        write(testClass, method, name, content.getBytes(StandardCharsets.UTF_8));
    }

    // ---- PKCS#10

    private static KeyPair keyPair(String algorithm, int size) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (size > 0) {
            g.initialize(size);
        }
        return g.generateKeyPair();
    }

    private static ContentSigner signer(String algorithm, PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER).build(key);
    }

    /** A request with every kind of subjectAltName est4j converts, and a challengePassword (channel binding). */
    private static byte[] richCsr(KeyPair key) throws Exception {
        PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=device-1,OU=Sensors,O=est4j,C=DE"), key.getPublic());
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "device-1.example"),
                new GeneralName(GeneralName.iPAddress, "192.0.2.17"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::17"),
                new GeneralName(GeneralName.rfc822Name, "ops@example.org"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "urn:uuid:2b5f0a1e-43cd-4b25-a1a6-8c1f5ae1c0de"),
                new GeneralName(GeneralName.directoryName, new X500Name("CN=alt,O=est4j")),
                new GeneralName(GeneralName.registeredID, new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1")),
                new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                        new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.4"), new DERTaggedObject(true, 0, new DERUTF8String("hw-4711"))}))}));
        ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("cb3Q2Tl0aW9uYmluZGluZw"));
        return b.build(signer("SHA256withECDSA", key.getPrivate())).getEncoded();
    }

    private static byte[] plainCsr(KeyPair key, String algorithm, String subject) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(signer(algorithm, key.getPrivate())).getEncoded();
    }

    private static String pem(String type, byte[] der) {
        return new String(Base64Transfer.pem(type, der), StandardCharsets.US_ASCII);
    }

    private void csr() throws Exception {
        KeyPair ec = TestPki.ecKey();
        byte[] rich = richCsr(ec);
        byte[] minimal = plainCsr(TestPki.ecKey(), "SHA256withECDSA", "CN=device-2");
        byte[] rsa = plainCsr(keyPair("RSA", 2048), "SHA256withRSA", "CN=rsa-device,O=est4j");
        byte[] ed25519 = plainCsr(keyPair("Ed25519", 0), "Ed25519", "CN=ed25519-device");
        byte[] rfc7030 = Base64Transfer.decode(Files.readAllBytes(resources.resolve("rfc7030/simpleenroll-request.b64")));

        String c = "CsrFuzzTest";
        write(c, "base64Body", "ec-rich.b64", Base64Transfer.encode(rich));
        write(c, "base64Body", "ec-rich-crlf.b64", new String(Base64Transfer.encode(rich), StandardCharsets.US_ASCII).replace("\n", "\r\n"));
        write(c, "base64Body", "ec-rich-one-line.b64", Base64.getEncoder().encode(rich));
        write(c, "base64Body", "ec-minimal-pem.txt", pem("CERTIFICATE REQUEST", minimal));
        write(c, "base64Body", "ec-minimal-raw.der", minimal);
        write(c, "base64Body", "rsa.b64", Base64Transfer.encode(rsa));
        write(c, "base64Body", "ed25519.b64", Base64Transfer.encode(ed25519));
        write(c, "base64Body", "rfc7030-example.b64", Files.readAllBytes(resources.resolve("rfc7030/simpleenroll-request.b64")));

        write(c, "der", "ec-rich.der", rich);
        write(c, "der", "ec-minimal.der", minimal);
        write(c, "der", "rsa.der", rsa);
        write(c, "der", "ed25519.der", ed25519);
        write(c, "der", "rfc7030-example.der", rfc7030);

        byte[] badSignature = rich.clone();
        badSignature[badSignature.length - 3] ^= 0x5a; // the template's signature is not checked
        write(c, "template", "ec-rich.der", rich);
        write(c, "template", "ec-rich-bad-signature.der", badSignature);
        write(c, "template", "rsa.der", rsa);
    }

    // ---- CMC

    private static TaggedAttribute control(long id, ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new TaggedAttribute(new BodyPartID(id), type, new DERSet(value));
    }

    private static List<TaggedAttribute> transaction(long firstId) {
        return List.of(control(firstId, CMCObjectIdentifiers.id_cmc_transactionId, new ASN1Integer(new BigInteger("11223344556677", 16))),
                control(firstId + 1, CMCObjectIdentifiers.id_cmc_senderNonce,
                        new DEROctetString("client-nonce-123".getBytes(StandardCharsets.US_ASCII))));
    }

    private static TaggedRequest pkcs10(long id, byte[] csr) {
        return new TaggedRequest(new TaggedCertificationRequest(new BodyPartID(id),
                org.bouncycastle.asn1.cmc.CertificationRequest.getInstance(csr)));
    }

    private static TaggedRequest crmf(long certReqId, KeyPair key, String subject, boolean raVerified) throws Exception {
        JcaCertificateRequestMessageBuilder b = new JcaCertificateRequestMessageBuilder(BigInteger.valueOf(certReqId));
        b.setSubject(new X500Principal(subject)).setPublicKey(key.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "crmf.example")));
        if (raVerified) {
            b.setProofOfPossessionRaVerified();
        } else {
            b.setProofOfPossessionSigningKeySigner(signer("SHA256withECDSA", key.getPrivate()));
        }
        return new TaggedRequest(b.build().toASN1Structure());
    }

    private static PKIData pkiData(List<TaggedAttribute> controls, TaggedRequest... requests) {
        return new PKIData(controls.toArray(TaggedAttribute[]::new), requests, new TaggedContentInfo[0], new OtherMsg[0]);
    }

    private static byte[] signed(byte[] pkiData, X509Certificate certificate, PrivateKey key) throws Exception {
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build()).build(signer("SHA256withECDSA", key), certificate));
        g.addCertificates(new JcaCertStore(List.of(certificate)));
        // DER, as Base64Transfer lets raw DER (a definite long-form length) through; BouncyCastle's getEncoded() is BER
        return g.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, pkiData), true).toASN1Structure()
                .getEncoded("DER");
    }

    /** RFC 5272 section 3.2.1.3.1: signed with the key being certified, identified by its subjectKeyIdentifier. */
    private static byte[] selfSigned(byte[] pkiData, KeyPair key) throws Exception {
        byte[] spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded())
                .getPublicKeyData().getBytes();
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build()).build(signer("SHA256withECDSA", key.getPrivate()),
                MessageDigest.getInstance("SHA-1").digest(spki)));
        return g.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, pkiData), true).toASN1Structure()
                .getEncoded("DER");
    }

    private void cmc() throws Exception {
        TestPki.Ca ca = TestPki.ca("est4j Seed CA");
        KeyPair clientKey = TestPki.ecKey();
        X509Certificate clientCert = ca.issue("CN=seed-client", clientKey.getPublic(), null, KeyPurposeId.id_kp_cmcRA);
        KeyPair deviceKey = TestPki.ecKey();
        byte[] deviceCsr = richCsr(deviceKey);

        RevokeRequest revoke = new RevokeRequest(new X500Name("CN=est4j Fuzz CMC CA"), new ASN1Integer(4711),
                CRLReason.lookup(CRLReason.keyCompromise), new ASN1GeneralizedTime("20291231000000Z"),
                new DEROctetString("secret".getBytes(StandardCharsets.US_ASCII)), new DERUTF8String("lost laptop"));
        TaggedAttribute identityProof = control(4, CMCObjectIdentifiers.id_cmc_identityProofV2, new DERSequence(new ASN1Encodable[] {
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.14.3.2.26")),
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.2.7"), DERNull.INSTANCE),
                new DEROctetString(new byte[20])}));
        KeyPair selfKey = TestPki.ecKey();

        Map<String, byte[]> pkiData = new java.util.LinkedHashMap<>();
        pkiData.put("pkcs10", pkiData(transaction(1), pkcs10(3, deviceCsr)).getEncoded());
        pkiData.put("crmf-signature-pop", pkiData(transaction(1), crmf(7, TestPki.ecKey(), "CN=crmf-device", false)).getEncoded());
        pkiData.put("crmf-ra-verified", pkiData(transaction(1), crmf(8, TestPki.ecKey(), "CN=ra-verified", true)).getEncoded());
        pkiData.put("pkcs10-and-crmf-pending", pkiData(transaction(1), pkcs10(3, plainCsr(TestPki.ecKey(), "SHA256withECDSA",
                "CN=pending-device")), crmf(4, TestPki.ecKey(), "CN=crmf-2", false)).getEncoded());
        pkiData.put("revoke", pkiData(List.of(control(5, CMCObjectIdentifiers.id_cmc_revokeRequest, revoke))).getEncoded());
        pkiData.put("identity-proof-refused", pkiData(List.of(identityProof), pkcs10(3, plainCsr(TestPki.ecKey(), "SHA256withECDSA",
                "CN=d"))).getEncoded());
        pkiData.put("orm-and-nested", new PKIData(transaction(1).toArray(TaggedAttribute[]::new),
                new TaggedRequest[] {TaggedRequest.getInstance(new DERTaggedObject(false, TaggedRequest.ORM, new DERSequence(
                        new ASN1Encodable[] {new BodyPartID(9), new DERSequence(new ASN1Encodable[] {
                                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2"), new DEROctetString(new byte[] {1, 2, 3})})})))},
                new TaggedContentInfo[] {new TaggedContentInfo(new BodyPartID(10),
                        new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(new byte[] {4, 5})))},
                new OtherMsg[] {new OtherMsg(new BodyPartID(11), new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.3"), new DERIA5String("x"))})
                .getEncoded());

        for (Map.Entry<String, byte[]> e : pkiData.entrySet()) {
            write("FullCmcFuzzTest", "signedPkiData", e.getKey() + ".der", e.getValue());
            write("FullCmcFuzzTest", "body", e.getKey() + "-signed.der", signed(e.getValue(), clientCert, clientKey.getPrivate()));
        }
        byte[] selfSignedPkcs10 = pkiData(transaction(1), pkcs10(3, plainCsr(selfKey, "SHA256withECDSA", "CN=self"))).getEncoded();
        write("FullCmcFuzzTest", "body", "pkcs10-self-signed-ski.der", selfSigned(selfSignedPkcs10, selfKey));
        write("FullCmcFuzzTest", "body", "pkcs10-signed.b64", Base64Transfer.encode(signed(pkiData.get("pkcs10"), clientCert,
                clientKey.getPrivate())));
    }

    // ---- forwarded client certificates

    private void proxy() throws Exception {
        TestPki.Ca root = TestPki.ca("Proxy Seed Root");
        X509Certificate leaf = root.issue("CN=device-1", TestPki.ecKey().getPublic(),
                new GeneralName[] {TestPki.dns("device-1.example")});
        X509Certificate intermediate = root.issue("CN=Intermediate", TestPki.ecKey().getPublic(), null);
        String base64 = Base64.getEncoder().encodeToString(leaf.getEncoded());
        String c = "ForwardedCertificateFuzzTest";

        write(c, "nginx", "escaped-pem.txt", "X-SSL-Client-Cert: " + Captured.percent(Captured.pem(leaf), "") + "\n");
        write(c, "nginx", "no-certificate.txt", "X-SSL-Client-Cert: \n");
        write(c, "nginxLegacy", "tab-folded-pem.txt", "X-SSL-Client-Cert: " + Captured.pem(leaf).strip().replace("\n", " \t") + "\n");
        write(c, "apache", "pem-with-chain.txt", "X-SSL-Client-Cert: " + Captured.pem(leaf).strip().replace('\n', ' ') + "\n"
                + "X-SSL-Client-Cert-Chain-0: " + Captured.pem(intermediate).strip().replace('\n', ' ') + "\n"
                + "X-SSL-Client-Cert-Chain-1: (null)\n");
        write(c, "apache", "null.txt", "X-SSL-Client-Cert: (null)\n");
        write(c, "haproxy", "base64-der.txt", "X-Forwarded-Proto: https\nX-SSL-Client-Verify: 0\nX-SSL-Protocol: TLSv1.2\n"
                + "X-SSL-Channel-Binding: " + Base64.getEncoder().encodeToString("tls-unique-12".getBytes(StandardCharsets.US_ASCII))
                + "\nX-SSL-Client-Cert: " + base64 + "\n");
        write(c, "haproxy", "plain-http.txt", "X-Forwarded-Proto: http\nX-SSL-Client-Cert: " + base64 + "\n");
        write(c, "rfc9440", "cert-and-chain.txt", "Client-Cert: :" + base64 + ":\n"
                + "Client-Cert-Chain: :" + Base64.getEncoder().encodeToString(intermediate.getEncoded()) + ":, :"
                + Base64.getEncoder().encodeToString(root.certificate().getEncoded()) + ":\n");
        write(c, "envoy", "xfcc-cert-and-chain.txt", "X-Forwarded-Client-Cert: By=spiffe://cluster.local/ns/est/sa/est4j;"
                + "Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Cert=\"" + Captured.percent(Captured.pem(leaf), "")
                + "\";Chain=\"" + Captured.percent(Captured.pem(leaf, intermediate), "") + "\";Subject=\"CN=device,O=Example, Inc.\";URI=;DNS=device.example\n");
        write(c, "envoy", "xfcc-two-elements.txt", "X-Forwarded-Client-Cert: By=spiffe://outer;Hash=00ff\n"
                + "X-Forwarded-Client-Cert: By=spiffe://inner;Cert=\"" + Captured.percent(Captured.pem(leaf), "") + "\"\n");
        write(c, "awsAlb", "pass-through-chain.txt", "X-Amzn-Mtls-Clientcert: " + Captured.percent(Captured.pem(leaf, intermediate), "+=/") + "\n");
        write(c, "awsAlb", "verify-leaf.txt", "X-Amzn-Mtls-Clientcert-Leaf: " + Captured.percent(Captured.pem(leaf), "+=/") + "\n");
    }

    // ---- HTTP Digest and Basic

    private static String digestHeader(DigestAuthentication.Algorithm a, String nonce, String opaque, String user, String password,
                                       String nc, boolean quoteTokens) {
        String ha1 = a.hash(user + ":" + DigestFuzzTest.REALM + ":" + password);
        String response = a.hash(ha1 + ":" + nonce + ":" + nc + ":0a4f113b:auth:" + a.hash(DigestFuzzTest.METHOD + ":" + DigestFuzzTest.URI));
        String q = quoteTokens ? "\"" : "";
        return "Digest username=\"" + user + "\", realm=\"" + DigestFuzzTest.REALM + "\", nonce=\"" + nonce + "\", uri=\""
                + DigestFuzzTest.URI + "\", algorithm=" + q + a.wireName() + q + ", qop=" + q + "auth" + q + ", nc=" + nc
                + ", cnonce=\"0a4f113b\", response=\"" + response + "\", opaque=\"" + opaque + "\"";
    }

    private void digest() throws Exception {
        Map<String, String> challenge = DigestFuzzTest.parse(DigestFuzzTest.server(DigestAuthentication.Algorithm.SHA_256,
                Clock.fixed(DigestFuzzTest.ISSUED, ZoneOffset.UTC)).challenge(false).substring("Digest".length()));
        Map<String, String> old = DigestFuzzTest.parse(DigestFuzzTest.server(DigestAuthentication.Algorithm.SHA_256,
                Clock.fixed(DigestFuzzTest.ISSUED.minusSeconds(3600), ZoneOffset.UTC)).challenge(true).substring("Digest".length()));
        String nonce = challenge.get("nonce");
        String opaque = challenge.get("opaque");
        DigestAuthentication.Algorithm sha = DigestAuthentication.Algorithm.SHA_256;
        DigestAuthentication.Algorithm md5 = DigestAuthentication.Algorithm.MD5;
        String c = "DigestFuzzTest";
        write(c, "verify", "sha256-valid.txt", digestHeader(sha, nonce, opaque, DigestFuzzTest.USER, DigestFuzzTest.PASSWORD, "00000001", false));
        write(c, "verify", "sha256-valid-quoted.txt", digestHeader(sha, nonce, opaque, DigestFuzzTest.USER, DigestFuzzTest.PASSWORD, "00000002", true));
        write(c, "verify", "md5-valid-libest.txt", digestHeader(md5, nonce, opaque, DigestFuzzTest.USER, DigestFuzzTest.PASSWORD, "00000001", false));
        write(c, "verify", "wrong-password.txt", digestHeader(sha, nonce, opaque, DigestFuzzTest.USER, "guess", "00000001", false));
        write(c, "verify", "unknown-user.txt", digestHeader(sha, nonce, opaque, "nobody", DigestFuzzTest.PASSWORD, "00000001", false));
        write(c, "verify", "stale-nonce.txt", digestHeader(sha, old.get("nonce"), opaque, DigestFuzzTest.USER, DigestFuzzTest.PASSWORD,
                "00000001", false));
        write(c, "verify", "missing-cnonce.txt", "Digest username=\"device\", realm=\"est4j\", nonce=\"" + nonce
                + "\", uri=\"/.well-known/est/simpleenroll\", qop=auth, nc=00000001, response=\"00\"");
        write(c, "parameters", "challenge.txt", DigestFuzzTest.server(sha, Clock.fixed(DigestFuzzTest.ISSUED, ZoneOffset.UTC))
                .challenge(true).substring("Digest".length()));
        write(c, "parameters", "authorization.txt", digestHeader(sha, nonce, opaque, DigestFuzzTest.USER, DigestFuzzTest.PASSWORD,
                "00000001", false).substring("Digest".length()));
        write(c, "parameters", "escaped-quotes.txt", " username=\"dev\\\"ice\", realm=\"a,b=c\", nc=00000001,, qop=auth");
    }

    private void basic() throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        String c = "BasicCredentialsFuzzTest";
        write(c, "parse", "user-password.txt", "Basic " + b64.encodeToString("device:pin-4711".getBytes(StandardCharsets.UTF_8)));
        write(c, "parse", "one-time-password.txt", "Basic " + b64.encodeToString(":otp-7f3a9c".getBytes(StandardCharsets.UTF_8)));
        write(c, "parse", "libest-none.txt", "Basic " + b64.encodeToString("None:None".getBytes(StandardCharsets.UTF_8)));
        write(c, "parse", "utf8-lowercase-scheme.txt", "  basic   " + b64.encodeToString("gerät:pässwört:mit:doppelpunkt"
                .getBytes(StandardCharsets.UTF_8)) + "  ");
        write(c, "parse", "bearer.txt", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
        write(c, "parse", "scheme-only.txt", "Basic");
    }

    private void mediaTypes() throws Exception {
        String c = "MediaTypeFuzzTest";
        write(c, "requestContentType", "pkcs10.txt", EstMediaTypes.PKCS10);
        write(c, "requestContentType", "draft-pkcs10.txt", EstMediaTypes.DRAFT_PKCS10);
        write(c, "requestContentType", "pkcs10-parameters.txt", "Application/PKCS10; charset=binary");
        write(c, "requestContentType", "cmc-request.txt", EstMediaTypes.CMC_REQUEST);
        write(c, "requestContentType", "pkcs7-no-space.txt", "application/pkcs7-mime;smime-type=CMC-Request");
        write(c, "requestContentType", "form.txt", "application/x-www-form-urlencoded");
        write(c, "responseContentType", "certs-only-resteasy.txt", "application/pkcs7-mime;smime-type=certs-only");
        write(c, "responseContentType", "certs-only.txt", EstMediaTypes.PKCS7_CERTS_ONLY);
        write(c, "responseContentType", "cmc-response-upper.txt", "Application/PKCS7-MIME;  smime-type=CMC-response");
        write(c, "responseContentType", "csrattrs.txt", EstMediaTypes.CSRATTRS);
        write(c, "responseContentType", "multipart.txt", "multipart/mixed;boundary=est4j-7f3a9cBoundary");
        write(c, "responseContentType", "text-plain.txt", EstMediaTypes.TEXT_PLAIN_UTF8);
    }

    // ---- RFC 8295 /return

    /** The path octet of PackageReturnFuzzTest#body (PackageReturnFuzzTest.PATHS), then the message. */
    private void returnBody(String name, int selector, byte[] message) throws IOException {
        byte[] seed = new byte[message.length + 1];
        seed[0] = (byte) selector;
        System.arraycopy(message, 0, seed, 1, message.length);
        write("PackageReturnFuzzTest", "body", name, seed);
    }

    /** The type octet of PackageReturnFuzzTest#signedContent (an index of PackageReturnFuzzTest.SIGNED), then the eContent of {@code message}. */
    private void returnContent(String name, int selector, byte[] message) throws Exception {
        org.bouncycastle.cms.CMSSignedData signed = new org.bouncycastle.cms.CMSSignedData(message);
        if (!signed.getSignedContentType().getId().equals(PackageReturnFuzzTest.SIGNED.get(selector).contentType())) {
            throw new IllegalStateException(name + ": " + signed.getSignedContentType() + " is not the type of selector " + selector);
        }
        byte[] content = (byte[]) signed.getSignedContent().getContent();
        byte[] seed = new byte[content.length + 1];
        seed[0] = (byte) selector;
        System.arraycopy(content, 0, seed, 1, content.length);
        write("PackageReturnFuzzTest", "signedContent", name, seed);
    }

    /**
     * Messages of FuzzPackages.CLIENT (fixed keys: the body seeds stay signed by the fuzzed client) about the packages
     * FuzzPackages gives it, one of each kind, and the refusals around them.
     */
    private void packageReturns() throws Exception {
        PrivateKey key = FuzzPackages.CLIENT_KEY;
        X509Certificate client = FuzzPackages.CLIENT;
        byte[] serial = ReturnMessages.pkgId(new BigInteger("f3a1b2c3d4e5", 16));
        Map<String, byte[]> symmetric = new java.util.LinkedHashMap<>();
        symmetric.put("key-package-receipt", ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId(FuzzPackages.KEYS_1), key, client));
        symmetric.put("key-package-error", ReturnMessages.keyPackageError(ReturnMessages.pkgId(FuzzPackages.KEYS_0), 61, key, client));
        symmetric.put("key-package-error-oid-code", ReturnMessages.signed(ReturnMessages.KEY_PACKAGE_ERROR,
                ReturnMessages.keyPackageErrorContent(ReturnMessages.pkgId(FuzzPackages.KEYS_1),
                        new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.66"), client), key, client));
        byte[] firmwareReceipt = ReturnMessages.firmwareLoadReceipt(FuzzPackages.FIRMWARE_NAME, key, client);
        byte[] firmwareError = ReturnMessages.firmwareLoadError(FuzzPackages.LEGACY_FIRMWARE_NAME, 27, key, client);
        Map<String, byte[]> tamp = new java.util.LinkedHashMap<>();
        tamp.put("tamp-status-response", ReturnMessages.tampStatusResponse(FuzzPackages.QUERY_REF, key, client));
        tamp.put("tamp-update-confirm", ReturnMessages.tampUpdateConfirm(FuzzPackages.UPDATE_REF, List.of(0, 5), key, client));
        tamp.put("tamp-community-update-confirm", ReturnMessages.tampCommunityUpdateConfirm(FuzzPackages.COMMUNITY_REF, 0, key, client));
        tamp.put("tamp-seq-num-adjust-confirm", ReturnMessages.seqNumberAdjustConfirm(FuzzPackages.ADJUST_REF, 0, key, client));
        tamp.put("tamp-error", ReturnMessages.tampError(ReturnMessages.TAMP_UPDATE, 21, FuzzPackages.UPDATE_REF, key, client));
        byte[] serverKeygenReceipt = ReturnMessages.keyPackageReceipt(serial, key, client);
        byte[] serverKeygenError = ReturnMessages.keyPackageError(serial, 5, key, client);

        symmetric.forEach((name, message) -> uncheck(() -> returnBody(name + ".der", 0, message)));
        returnBody("key-package-receipt-mime-base64.b64", 0, Base64.getMimeEncoder().encode(symmetric.get("key-package-receipt")));
        returnBody("key-package-receipt-other-clients-403.der", 0, ReturnMessages.keyPackageReceipt(
                ReturnMessages.pkgId(FuzzPackages.OTHER_CLIENTS_KEYS), key, client));
        returnBody("key-package-receipt-unknown-404.der", 0, ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-9"), key, client));
        KeyPair stranger = TestPki.ecKey();
        returnBody("key-package-receipt-other-signer-403.der", 0, ReturnMessages.keyPackageReceipt(
                ReturnMessages.pkgId(FuzzPackages.KEYS_1), stranger.getPrivate(), TestPki.selfSigned("CN=fuzz-device-1", stranger)));
        returnBody("firmware-load-receipt.der", 1, firmwareReceipt);
        returnBody("firmware-load-error.der", 1, firmwareError);
        returnBody("firmware-unsigned-400.der", 1, ReturnMessages.unsigned(ReturnMessages.FIRMWARE_LOAD_RECEIPT,
                ReturnMessages.firmwareLoadReceiptContent(FuzzPackages.FIRMWARE_NAME)));
        tamp.forEach((name, message) -> uncheck(() -> returnBody(name + ".der", 2, message)));
        returnBody("serverkeygen-receipt.der", 3, serverKeygenReceipt);
        returnBody("serverkeygen-error.der", 3, serverKeygenError);
        returnBody("serverkeygen-receipt-no-service-501.der", 0x83, serverKeygenReceipt);

        returnContent("key-package-receipt.der", 0, symmetric.get("key-package-receipt"));
        returnContent("key-package-error.der", 1, symmetric.get("key-package-error"));
        returnContent("key-package-error-oid-code.der", 1, symmetric.get("key-package-error-oid-code"));
        returnContent("firmware-load-receipt.der", 2, firmwareReceipt);
        returnContent("firmware-load-error.der", 3, firmwareError);
        returnContent("tamp-status-response.der", 4, tamp.get("tamp-status-response"));
        returnContent("tamp-update-confirm.der", 5, tamp.get("tamp-update-confirm"));
        // TAMPApexUpdateConfirm { apexReplace TAMPMsgRef, apexConfirm terseApexConfirm [0] IMPLICIT StatusCode }: no such package is given (404)
        returnContent("tamp-apex-update-confirm.der", 6, ReturnMessages.signed(PackageReturnFuzzTest.SIGNED.get(6).contentType(),
                new DERSequence(new ASN1Encodable[] {ReturnMessages.tampMsgRef("urn:fuzz-device-1", 11),
                        new DERTaggedObject(false, 0, new org.bouncycastle.asn1.ASN1Enumerated(0))}).getEncoded("DER"), key, client));
        returnContent("tamp-community-update-confirm.der", 7, tamp.get("tamp-community-update-confirm"));
        returnContent("tamp-seq-num-adjust-confirm.der", 8, tamp.get("tamp-seq-num-adjust-confirm"));
        returnContent("tamp-error.der", 9, tamp.get("tamp-error"));
        returnContent("serverkeygen-receipt.der", 10, serverKeygenReceipt);
        returnContent("serverkeygen-error.der", 11, serverKeygenError);
    }

    private interface IoAction {
        void run() throws Exception;
    }

    private static void uncheck(IoAction action) {
        try {
            action.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Accept

    private void acceptHeader() throws Exception {
        String c = "AcceptHeaderFuzzTest";
        write(c, "acceptHeader", "pkcs12.txt", EstMediaTypes.PKCS12);
        write(c, "acceptHeader", "cms-over-multipart.txt", "application/cms;q=0.9, multipart/mixed;q=0.5, */*;q=0.1");
        write(c, "acceptHeader", "multipart-first.txt", "multipart/mixed, application/pkcs12;q=1.0");
        write(c, "acceptHeader", "pal-browser.txt", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.1");
        write(c, "acceptHeader", "quoted-comma.txt", "application/cms; foo=\"a,b;q=0.2\\\"\"; q=0.300, application/*;q=0.000");
        write(c, "acceptHeader", "malformed-q.txt", "Application/PKCS12;Q=0.5 , , text/*;q=1.0001, image/png;q=-1, */*;q=abc, /x, y/");
    }
}
