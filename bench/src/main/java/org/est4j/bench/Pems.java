package org.est4j.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** PEM reading with BouncyCastle's parser (certificates; unencrypted PKCS#8 or traditional keys). */
final class Pems {

    private Pems() {
    }

    static List<X509CertificateHolder> certificates(Path file) throws IOException {
        List<X509CertificateHolder> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder) {
                    out.add((X509CertificateHolder) o);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no certificate");
        }
        return out;
    }

    /** The first private key in {@code file}, as PKCS#8 {@link PrivateKeyInfo}. */
    static PrivateKeyInfo privateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PrivateKeyInfo) {
                    return (PrivateKeyInfo) o;
                }
                if (o instanceof PEMKeyPair) {
                    return ((PEMKeyPair) o).getPrivateKeyInfo();
                }
            }
        }
        throw new IOException(file + ": no unencrypted private key");
    }
}
