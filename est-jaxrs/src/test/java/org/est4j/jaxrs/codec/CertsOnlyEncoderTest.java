package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The certs-only message keeps the caller's order (the SPI's CaCertificates: root first, rollover links last). */
class CertsOnlyEncoderTest {

    private static X509Certificate certificate(String cn, KeyPair key) throws Exception {
        X500Principal name = new X500Principal("CN=" + cn);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(cn.hashCode() & 0xffff),
                new Date(), new Date(System.currentTimeMillis() + 86_400_000L), name, key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    @Test
    void certificatesComeOutInTheOrderGivenAsTheJdkReadsThem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        List<X509Certificate> certificates = new ArrayList<>();
        for (String cn : List.of("root", "link one", "link two with a longer name")) {
            certificates.add(certificate(cn, g.generateKeyPair()));
        }
        CertificateFactory jdk = CertificateFactory.getInstance("X.509");
        // both orders: a DER-sorted set could match one of them by chance, never both
        List<X509Certificate> reversed = new ArrayList<>(certificates);
        java.util.Collections.reverse(reversed);
        for (List<X509Certificate> order : List.of(certificates, reversed)) {
            byte[] pkcs7 = CertsOnlyEncoder.encode(order);
            assertEquals(order, jdk.generateCertPath(new ByteArrayInputStream(pkcs7), "PKCS7").getCertificates());
            org.junit.jupiter.api.Assertions.assertNotEquals((byte) 0x80, pkcs7[1], "definite lengths, as before");
        }
    }
}
