package org.est4j.war;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Writes {@code client-truststore.p12}: the EST client trust anchors as a PKCS#12 trust store
 * without a password, for JSSE connectors (Tomcat's {@code truststoreFile}) that must let these
 * clients' certificates through the handshake.
 *
 * <p>Why no password: the file holds only public certificates, and a password would have to be
 * written next to it in {@code server.xml} anyway. Why BouncyCastle: the JDK's PKCS#12 writer cannot
 * produce an unencrypted, MAC-less store without changing JVM-wide security properties. Each bag
 * carries Oracle's trusted-key-usage attribute, which the JDK needs to load a certificate bag as a
 * trusted entry.
 */
final class ClientTruststore {

    private static final ASN1ObjectIdentifier ORACLE_TRUSTED_KEY_USAGE = new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

    private ClientTruststore() {
    }

    /** The anchors of {@code file}; throws when it is missing or unreadable. */
    static List<X509Certificate> read(Path file) throws IOException {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(file)) {
                ks.load(in, null);
            }
            List<X509Certificate> anchors = new java.util.ArrayList<>();
            for (String alias : java.util.Collections.list(ks.aliases())) {
                anchors.add((X509Certificate) ks.getCertificate(alias));
            }
            return anchors;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    static void write(Path file, List<X509Certificate> anchors) throws IOException {
        try {
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            int i = 0;
            for (X509Certificate anchor : anchors) {
                PKCS12SafeBagBuilder bag = new PKCS12SafeBagBuilder(new JcaX509CertificateHolder(anchor));
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("est-client-anchor-" + ++i));
                bag.addBagAttribute(ORACLE_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
                pfx.addData(bag.build());
            }
            SecureFiles.write(file, pfx.build(null, null).getEncoded(ASN1Encoding.DER), SecureFiles.READABLE);
        } catch (CertificateEncodingException | PKCSException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
