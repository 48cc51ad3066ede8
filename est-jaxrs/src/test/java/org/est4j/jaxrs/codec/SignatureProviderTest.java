package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.util.Arrays;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provider selection and the native path. Amazon Corretto Crypto Provider is on this module's test class
 * path (not in the JVM's provider list), as it would be on a container's class path.
 */
class SignatureProviderTest {

    @AfterEach
    void backToBouncyCastle() {
        SignatureProvider.use(BouncyCastle.PROVIDER);
    }

    @Test
    void parsesTheSettingAndNamesTheChoicesOnATypo() {
        assertEquals(SignatureProvider.Choice.AUTO, SignatureProvider.Choice.parse(" Auto "));
        assertEquals(SignatureProvider.Choice.BOUNCYCASTLE, SignatureProvider.Choice.parse("bouncycastle"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignatureProvider.Choice.parse("openssl"));
        assertTrue(e.getMessage().contains("auto, accp, conscrypt, bouncycastle"), e.getMessage());
    }

    @Test
    void autoFindsTheNativeProviderOnTheClassPathWithoutInstallingIt() {
        SignatureProvider.Selection selection = SignatureProvider.select(SignatureProvider.Choice.AUTO);
        assertEquals("AmazonCorrettoCryptoProvider", selection.provider().getName());
        assertTrue(selection.description().startsWith("Amazon Corretto Crypto Provider 2.5"), selection.description());
        assertEquals(null, Security.getProvider("AmazonCorrettoCryptoProvider"), "the JVM's provider list is left alone");
        assertSame(selection.provider(), SignatureProvider.select(SignatureProvider.Choice.ACCP).provider());
    }

    @Test
    void anExplicitProviderThatIsMissingFailsWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SignatureProvider.select(SignatureProvider.Choice.CONSCRYPT));
        assertTrue(e.getMessage().contains("crypto.provider = conscrypt"), e.getMessage());
        assertEquals(BouncyCastle.PROVIDER, SignatureProvider.select(SignatureProvider.Choice.BOUNCYCASTLE).provider());
    }

    @Test
    void withTheNativeProviderRequestsVerifyAndForgeriesDoNot() throws Exception {
        SignatureProvider.use(SignatureProvider.select(SignatureProvider.Choice.ACCP).provider());
        byte[] ec = TestPki.csr(TestPki.ecKey(), "CN=native-ec", null);
        assertEquals("CN=native-ec", CsrDecoder.decode(ec).request().subject().getName());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKey = rsa.generateKeyPair();
        byte[] rsaCsr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=native-rsa"), rsaKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(rsaKey.getPrivate())).getEncoded();
        assertEquals("CN=native-rsa", CsrDecoder.decode(rsaCsr).request().subject().getName());
        byte[] forged = Arrays.copyOf(ec, ec.length);
        forged[forged.length - 5] ^= 0x01; // inside the signature value
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> CsrDecoder.decode(forged));
        assertEquals(400, e.status());
    }

    @Test
    void signaturesComeFromTheNativeProviderAndFallBackWhereItLacksTheAlgorithm() throws Exception {
        SignatureProvider.use(SignatureProvider.select(SignatureProvider.Choice.ACCP).provider());
        KeyPair ec = TestPki.ecKey();
        assertVerifies(ec, "SHA256withECDSA");
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertVerifies(ed, "Ed25519");
    }

    private static void assertVerifies(KeyPair pair, String algorithm) throws Exception {
        ContentSigner signer = SignatureProvider.signer(algorithm, SignatureProvider.adopt(pair.getPrivate()));
        byte[] message = "est4j".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        signer.getOutputStream().write(message);
        byte[] signature = signer.getSignature();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(pair.getPublic());
        verifier.update(message);
        assertTrue(verifier.verify(signature), algorithm);
        assertTrue(SignatureProvider.verifier(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
                .get(signer.getAlgorithmIdentifier()) != null);
    }
}
