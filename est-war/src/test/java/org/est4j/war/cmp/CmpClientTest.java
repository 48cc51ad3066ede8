package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.cmp.ErrorMsgContent;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIHeader;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CaUpstreamException;
import org.est4j.spi.CsrRejectedException;
import org.est4j.war.config.CmpSettings;

/** The checks every upstream response passes before est4j reads it, on responses built here as an upstream would. */
class CmpClientTest {

    private static final char[] SECRET = "shared".toCharArray();
    private static final byte[] TID = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    private static final PKIBody CONF = new PKIBody(PKIBody.TYPE_CONFIRM, DERNull.INSTANCE);

    private final KeyPair caKey = CmpFixtures.ec();
    private final KeyPair serverKey = CmpFixtures.ec();

    private CmpClient client(CmpProtection protection) {
        return new CmpClient(null, protection, new GeneralName(new X500Name("CN=CA")), new CmpStatus(Duration.ofSeconds(5)));
    }

    private static CmpProtection mac(CmpSettings.MacAlgorithm algorithm, char[] secret) {
        return CmpProtection.mac(algorithm, secret, "ref".getBytes(StandardCharsets.US_ASCII), Optional.empty());
    }

    /** A response as an upstream protects it, with est4j's own code (MAC) or a signer key. */
    private static ProtectedPKIMessageBuilder response(byte[] tid, byte[] recipNonce, PKIBody body) {
        return new ProtectedPKIMessageBuilder(new GeneralName(new X500Name("CN=CA")), new GeneralName(new X500Name("")))
                .setTransactionID(tid).setRecipNonce(recipNonce).setSenderNonce("serverserver1234".getBytes(StandardCharsets.US_ASCII))
                .setMessageTime(new Date()).setBody(body);
    }

    private static byte[] der(ProtectedPKIMessage message) throws Exception {
        return message.toASN1Structure().getEncoded();
    }

    @Test
    void aPbmac1ResponseWithTheSecretTransactionAndNoncePasses() throws Exception {
        CmpProtection protection = mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET);
        CmpClient.Reply reply = client(protection).check(der(protection.protect(response(TID, NONCE, CONF))), TID, NONCE);
        assertEquals(PKIBody.TYPE_CONFIRM, reply.body().getType());
        assertEquals("serverserver1234", new String(reply.transaction().serverNonce(), StandardCharsets.US_ASCII),
                "the next request answers the upstream's nonce");
    }

    @Test
    void pbmac1IsWhatOthersReadAsPbmac1(@TempDir Path dir) throws Exception {
        ProtectedPKIMessage message = mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET).protect(response(TID, NONCE, CONF));
        assertTrue(message.verify(new JcePBMac1CalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(), SECRET));
        Path file = dir.resolve("msg.der");
        Files.write(file, der(message));
        Process p = new ProcessBuilder("openssl", "asn1parse", "-inform", "DER", "-in", file.toString()).redirectErrorStream(true).start();
        String parsed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(parsed.contains("PBMAC1") && parsed.contains("PBKDF2") && parsed.contains("hmacWithSHA256"), parsed);
    }

    @Test
    void aPasswordBasedMacResponsePasses() throws Exception {
        CmpProtection protection = mac(CmpSettings.MacAlgorithm.PASSWORD_BASED_MAC, SECRET);
        assertEquals(PKIBody.TYPE_CONFIRM, client(protection).check(der(protection.protect(response(TID, NONCE, CONF))), TID, NONCE)
                .body().getType());
    }

    @Test
    void aMacWithAnotherSecretIsRefused() throws Exception {
        byte[] forged = der(mac(CmpSettings.MacAlgorithm.PBMAC1, "other".toCharArray()).protect(response(TID, NONCE, CONF)));
        CaUpstreamException e = assertThrows(CaUpstreamException.class,
                () -> client(mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET)).check(forged, TID, NONCE));
        assertEquals("the upstream CA's response protection does not verify (wrong shared secret or signer)", e.getMessage());
    }

    @Test
    void anotherTransactionOrNonceIsRefused() throws Exception {
        CmpProtection protection = mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET);
        byte[] other = "another-transact".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(CaUpstreamException.class, () -> client(protection)
                .check(der(protection.protect(response(other, NONCE, CONF))), TID, NONCE)).getMessage().contains("transactionID"));
        assertTrue(assertThrows(CaUpstreamException.class, () -> client(protection)
                .check(der(protection.protect(response(TID, other, CONF))), TID, NONCE)).getMessage().contains("recipNonce"));
    }

    @Test
    void anUnprotectedResponseIsRefusedEvenAnError() throws Exception {
        PKIBody error = new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(new PKIStatusInfo(PKIStatus.rejection,
                new PKIFreeText("go away"), new PKIFailureInfo(PKIFailureInfo.badRequest))));
        PKIHeader header = new org.bouncycastle.asn1.cmp.PKIHeaderBuilder(2, new GeneralName(new X500Name("CN=CA")),
                new GeneralName(new X500Name(""))).setTransactionID(TID).setRecipNonce(NONCE).build();
        byte[] unprotected = new org.bouncycastle.asn1.cmp.PKIMessage(header, error).getEncoded();
        CaUpstreamException e = assertThrows(CaUpstreamException.class,
                () -> client(mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET)).check(unprotected, TID, NONCE));
        assertEquals("the upstream CA's response is not protected (an unprotected error, not trusted: go away)", e.getMessage());
    }

    @Test
    void aProtectedErrorBecomesTheRefusalItSays() throws Exception {
        CmpProtection protection = mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET);
        PKIBody error = new PKIBody(PKIBody.TYPE_ERROR, new ErrorMsgContent(new PKIStatusInfo(PKIStatus.rejection,
                new PKIFreeText("bad key"), new PKIFailureInfo(PKIFailureInfo.badCertTemplate))));
        CsrRejectedException e = assertThrows(CsrRejectedException.class,
                () -> client(protection).check(der(protection.protect(response(TID, NONCE, error))), TID, NONCE));
        assertEquals("the upstream CA refused the request (badCertTemplate): bad key", e.getMessage());
    }

    @Test
    void aSignatureMustComeFromThePinnedUpstreamCertificate() throws Exception {
        X509Certificate server = CmpFixtures.certificate("CN=signer", serverKey, "CN=CA", caKey.getPrivate(), false);
        X509CertificateHolder pinned = new X509CertificateHolder(server.getEncoded());
        KeyPair ra = CmpFixtures.ec();
        CmpProtection est4j = CmpProtection.signature(ra.getPrivate(),
                List.of(new X509CertificateHolder(CmpFixtures.certificate("CN=RA", ra, "CN=CA", caKey.getPrivate(), false).getEncoded())),
                pinned);
        byte[] good = der(response(TID, NONCE, CONF).build(new JcaContentSignerBuilder("SHA256withECDSA").build(serverKey.getPrivate())));
        assertInstanceOf(CmpClient.Reply.class, client(est4j).check(good, TID, NONCE));
        byte[] impostor = der(response(TID, NONCE, CONF).build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(CmpFixtures.ec().getPrivate())));
        assertThrows(CaUpstreamException.class, () -> client(est4j).check(impostor, TID, NONCE));
        byte[] macProtected = der(mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET).protect(response(TID, NONCE, CONF)));
        assertTrue(assertThrows(CaUpstreamException.class, () -> client(est4j).check(macProtected, TID, NONCE)).getMessage()
                .contains("shares no secret"));
    }

    @Test
    void garbageIsNotACmpMessage() {
        CaUpstreamException e = assertThrows(CaUpstreamException.class,
                () -> client(mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET)).check("<html>".getBytes(StandardCharsets.US_ASCII), TID, NONCE));
        assertEquals("the upstream CA's response is not a CMP message", e.getMessage());
    }
}
