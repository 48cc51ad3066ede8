package org.est4j.war.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import org.est4j.spi.CertificationRequest;
import org.est4j.war.Pem;

/**
 * A small PKI on disk for the OpenSSL CMP mock server ({@code openssl cmp -port}), which always returns one fixed
 * certificate: the upstream CA, its CMP signer, an RA, the client's key with a matching certificate, and a certificate
 * of the same subject for another key (the mismatch case).
 */
final class CmpFixtures {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    final Path dir;
    final KeyPair caKey = ec();
    final X509Certificate ca;
    final KeyPair serverKey = ec();
    final X509Certificate server;
    final KeyPair raKey = ec();
    final X509Certificate ra;
    final KeyPair clientKey = ec();
    final X509Certificate client;
    final KeyPair otherKey = ec();
    final X509Certificate other;
    final KeyPair newClientKey = ec();
    final X509Certificate rekeyed;

    CmpFixtures(Path dir) throws Exception {
        this.dir = dir;
        ca = certificate("CN=Upstream CMP CA", caKey, "CN=Upstream CMP CA", caKey.getPrivate(), true);
        server = certificate("CN=Upstream CMP signer", serverKey, "CN=Upstream CMP CA", caKey.getPrivate(), false);
        ra = certificate("CN=est4j RA", raKey, "CN=Upstream CMP CA", caKey.getPrivate(), false);
        client = certificate("CN=device-1,O=Example", clientKey, "CN=Upstream CMP CA", caKey.getPrivate(), false);
        other = certificate("CN=device-1,O=Example", otherKey, "CN=Upstream CMP CA", caKey.getPrivate(), false);
        rekeyed = certificate("CN=device-1,O=Example", newClientKey, "CN=Upstream CMP CA", caKey.getPrivate(), false);
        write("ca.pem", ca);
        write("server.pem", server);
        Files.write(dir.resolve("server-key.pem"), Pem.privateKey(serverKey.getPrivate()));
        write("ra.pem", ra);
        Files.write(dir.resolve("ra-key.pem"), Pem.privateKey(raKey.getPrivate()));
        write("client.pem", client);
        write("other.pem", other);
        write("rekeyed.pem", rekeyed);
        Files.writeString(dir.resolve("secret"), "s3cret-shared\n", StandardCharsets.US_ASCII);
    }

    private void write(String name, X509Certificate certificate) throws IOException {
        Files.write(dir.resolve(name), Pem.certificates(List.of(certificate)));
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** The client's PKCS#10 request for {@code pair}, as est4j hands it to a CaService. */
    static CertificationRequest csr(String subject, KeyPair pair) throws Exception {
        PKCS10CertificationRequest p10 = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return new CertificationRequest(p10.getEncoded(), new X500Principal(subject), pair.getPublic(), List.of(), List.of(),
                java.util.Optional.empty());
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(String subject, KeyPair pair, String issuer, PrivateKey issuerKey, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), pair.getPublic());
        builder.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                : KeyUsage.digitalSignature));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuerKey)));
    }

    /** Whether {@code openssl cmp} exists here (the mock server tests need it). */
    static boolean opensslCmp() {
        try {
            Process p = new ProcessBuilder("openssl", "cmp", "-help").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A running {@code openssl cmp} mock server. */
    static final class MockServer implements AutoCloseable {
        final int port;
        final Process process;
        final Path log;

        MockServer(Path dir, String name, List<String> options) throws Exception {
            port = freePort();
            List<String> command = new ArrayList<>(List.of("openssl", "cmp", "-port", Integer.toString(port), "-verbosity", "7"));
            command.addAll(options);
            log = dir.resolve(name + ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("openssl cmp mock server exited: " + Files.readString(log));
                    }
                    Thread.sleep(50);
                }
            }
            throw new IllegalStateException("openssl cmp mock server did not listen on " + port);
        }

        String url() {
            return "http://127.0.0.1:" + port + "/pkix/";
        }

        /** The server's log: with verbosity 7 it names each message it received ("received P10CR"). */
        String log() throws IOException {
            return new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
