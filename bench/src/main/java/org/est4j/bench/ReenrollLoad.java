package org.est4j.bench;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Closed-loop HTTPS load driver with a TLS client certificate (for /simplereenroll), loopback only.
 *
 * <pre>
 * java org.est4j.bench.ReenrollLoad URL CLIENT TRUST BODY [CONNECTIONS=16] [SECONDS=30] [CONTENT_TYPE=application/pkcs10]
 * </pre>
 * CLIENT is a PKCS#12 file (no password, or {@code file.p12:password}) or {@code cert.pem,key.pem};
 * TRUST is a PEM file with the certificates that may anchor the server's chain. Each connection is one
 * thread with its own {@link HttpClient} (HTTP/1.1), so its requests go one after another over one
 * persistent TLS connection. Prints one line:
 * <pre>requests=N rate=R/s p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. errors=E statuses=200:N,...</pre>
 * Hostname verification is off (loopback, the server certificate may not name "localhost").
 */
public final class ReenrollLoad {

    private ReenrollLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ReenrollLoad URL CLIENT(p12[:pass] | cert.pem,key.pem) TRUST.pem BODY [CONNECTIONS] [SECONDS] [CONTENT_TYPE]");
            System.exit(2);
        }
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        URI uri = URI.create(args[0]);
        String host = uri.getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
            System.err.println("refusing a non-loopback target: " + host);
            System.exit(2);
        }
        SSLContext ssl = sslContext(args[1], Path.of(args[2]));
        byte[] body = Files.readAllBytes(Path.of(args[3]));
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 30;
        String contentType = args.length > 6 ? args[6] : "application/pkcs10";

        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            long[][] lat = {new long[4096]};
            int[] n = {0};
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    String key;
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        key = Integer.toString(r.statusCode());
                        if (r.statusCode() / 100 == 2) {
                            ok.incrementAndGet();
                            if (n[0] == lat[0].length) {
                                lat[0] = Arrays.copyOf(lat[0], n[0] * 2);
                            }
                            lat[0][n[0]++] = System.nanoTime() - t0;
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        key = e.getClass().getSimpleName();
                        errors.incrementAndGet();
                        if (Thread.currentThread().isInterrupted()) {
                            break;
                        }
                    }
                    statuses.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(lat[0], n[0]));
                }
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Long> sortedStatuses = new TreeMap<>();
        statuses.forEach((k, v) -> sortedStatuses.put(k, v.get()));
        StringBuilder st = new StringBuilder();
        sortedStatuses.forEach((k, v) -> st.append(st.length() == 0 ? "" : ",").append(k).append(':').append(v));
        System.out.println(String.format(Locale.ROOT,
                "requests=%d rate=%.1f/s p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d statuses=%s",
                ok.get() + errors.get(), ok.get() / elapsed, pct(all, 0.50), pct(all, 0.90), pct(all, 0.99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errors.get(), st.length() == 0 ? "-" : st));
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    private static SSLContext sslContext(String client, Path trust) throws Exception {
        KeyStore ks;
        char[] password;
        if (client.contains(",")) {
            String[] parts = client.split(",", 2);
            List<X509CertificateHolder> chain = Pems.certificates(Path.of(parts[0]));
            PrivateKeyInfo info = Pems.privateKey(Path.of(parts[1]));
            String family = Issuer.keyAlgorithm(chain.get(0).getSubjectPublicKeyInfo());
            PrivateKey key = Providers.privateKey(info.getEncoded(), family, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Certificate[] certs = new Certificate[chain.size()];
            for (int i = 0; i < certs.length; i++) {
                certs[i] = cf.generateCertificate(new ByteArrayInputStream(chain.get(i).getEncoded()));
            }
            password = "bench".toCharArray();
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, password, certs);
        } else {
            String file = client;
            password = new char[0];
            int colon = client.lastIndexOf(':');
            if (colon > 0 && !Files.exists(Path.of(client))) {
                file = client.substring(0, colon);
                password = client.substring(colon + 1).toCharArray();
            }
            ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(Path.of(file))) {
                ks.load(in, password);
            }
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);

        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (X509CertificateHolder h : Pems.certificates(trust)) {
            ts.setCertificateEntry("trust-" + i++, cf.generateCertificate(new ByteArrayInputStream(h.getEncoded())));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);

        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
