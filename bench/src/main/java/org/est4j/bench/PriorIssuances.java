package org.est4j.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Fills a local CA's issuance log with prior certificates, so a benchmark can show what a large
 * store costs. Run it with the server stopped:
 * <pre>
 * java org.est4j.bench.PriorIssuances EST_HOME CA_NAME COUNT [THREADS]
 * </pre>
 * Appends COUNT lines {@code <serial hex> <base64 DER>\n} to {@code EST_HOME/ca/CA_NAME/issued.log} with random
 * 127-bit serials as est4j draws them (so est4j's start-up reads a store like its own), each a real certificate
 * signed by the CA's key
 * ({@code ca-key.pem}, {@code ca.pem}) with the fastest provider here (ACCP, Conscrypt, else the JDK),
 * over a pool of 256 P-256 public keys, subject {@code CN=prior-<serial>}. Signs in parallel, forces the file to
 * disk at the end. The file is locked while it is written, as est4j does.
 */
public final class PriorIssuances {

    private static final int BATCH = 8192;
    private static final int KEY_POOL = 256;
    /** est4j's serials: 127 random bits (IssuanceLog.SERIAL_BITS). */
    private static final int SERIAL_BITS = 127;

    private PriorIssuances() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: PriorIssuances EST_HOME CA_NAME COUNT [THREADS]");
            System.exit(2);
        }
        Path dir = Path.of(args[0], "ca", args[1]);
        long count = Long.parseLong(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();

        X509CertificateHolder ca = Pems.certificates(dir.resolve("ca.pem")).get(0);
        byte[] caKey = Pems.privateKey(dir.resolve("ca-key.pem")).getEncoded();
        String providerName = Providers.fastest();
        Provider provider = Providers.load(providerName);
        Issuer issuer = new Issuer(ca, caKey, provider);

        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        SubjectPublicKeyInfo[] keys = new SubjectPublicKeyInfo[KEY_POOL];
        byte[][] skis = new byte[KEY_POOL][];
        for (int i = 0; i < KEY_POOL; i++) {
            KeyPair kp = g.generateKeyPair();
            keys[i] = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
            skis[i] = Issuer.keyId(keys[i]);
        }

        Path log = dir.resolve("issued.log");
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException(log + " is locked: stop the server first");
            }
            requireCompleteLastLine(ch, log);
            System.out.printf(Locale.ROOT, "prior issuances: %d into %s, provider %s, %d threads%n", count, log, providerName, threads);
            java.security.SecureRandom random = new java.security.SecureRandom();
            java.util.Set<BigInteger> drawn = new java.util.HashSet<>();
            ch.position(ch.size());
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                long done = 0;
                long nextReport = 100_000;
                Base64.Encoder b64 = Base64.getEncoder();
                while (done < count) {
                    int n = (int) Math.min(BATCH, count - done);
                    BigInteger[] serials = new BigInteger[n];
                    for (int i = 0; i < n; i++) {
                        BigInteger serial;
                        do {
                            serial = new BigInteger(SERIAL_BITS, random);
                        } while (serial.signum() == 0 || !drawn.add(serial));
                        serials[i] = serial;
                    }
                    byte[][] lines = new byte[n][];
                    List<Future<?>> parts = new ArrayList<>();
                    for (int w = 0; w < threads; w++) {
                        int worker = w;
                        parts.add(pool.submit(() -> {
                            for (int i = worker; i < n; i += threads) {
                                BigInteger serial = serials[i];
                                int k = serial.intValue() & (KEY_POOL - 1);
                                X509CertificateHolder c = issuer.issue(serial, new X500Name("CN=prior-" + serial.toString(16)), keys[k], skis[k]);
                                lines[i] = (serial.toString(16) + " " + b64.encodeToString(c.getEncoded()) + "\n")
                                        .getBytes(StandardCharsets.US_ASCII);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : parts) {
                        f.get();
                    }
                    for (byte[] line : lines) {
                        out.write(line);
                    }
                    done += n;
                    if (done >= nextReport || done == count) {
                        double s = (System.nanoTime() - t0) / 1e9;
                        System.out.printf(Locale.ROOT, "  %d / %d (%.1f s, %.0f/s)%n", done, count, s, done / s);
                        nextReport += 100_000;
                    }
                }
                out.flush();
                ch.force(true);
            } finally {
                pool.shutdownNow();
            }
            System.out.printf(Locale.ROOT, "prior issuances done: %d certificates in %.1f s, %s is %d MB%n", count,
                    (System.nanoTime() - t0) / 1e9, log.getFileName(), ch.size() >> 20);
            lock.release();
        }
    }

    /** Refuses a file that does not end with a newline: a torn write est4j's start-up cuts off first. */
    private static void requireCompleteLastLine(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        if (last.get(0) != '\n') {
            throw new IOException(file + " does not end with a newline (torn write?): start the server once to repair it");
        }
    }
}
