package org.est4j.war;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.est4j.jaxrs.codec.BouncyCastle;

/** PEM reading and writing with BouncyCastle: certificates and unencrypted PKCS#8 private keys. */
public final class Pem {

    private Pem() {
    }

    public static byte[] certificates(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            for (X509Certificate c : certificates) {
                writer.writeObject(new PemObject("CERTIFICATE", c.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A private key as PKCS#8 {@code PRIVATE KEY} PEM (what Tomcat, nginx and OpenSSL 3 read). */
    public static byte[] privateKey(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(toJdk(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a valid certificate", e);
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no PEM certificate found");
        }
        return out;
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            Object o = parser.readObject();
            if (o instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER).getPrivateKey(info);
            }
            throw new IOException(file + ": not an unencrypted PKCS#8 private key");
        }
    }

    /** A BouncyCastle certificate as a JDK object, so CA implementations and PKIX see the usual provider's type. */
    public static X509Certificate toJdk(X509CertificateHolder holder) throws GeneralSecurityException {
        try {
            return parseCertificate(holder.getEncoded());
        } catch (IOException e) {
            throw new java.security.cert.CertificateEncodingException(e.getMessage());
        }
    }

    /** A DER certificate as a JDK object. */
    public static X509Certificate parseCertificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
    }
}
