package org.est4j.jaxrs.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.est4j.jaxrs.ClientText;

/**
 * The CRLs PKIX validation of a client certificate chain may use: those of the configured files (read again
 * when a file changes, so a cron job that replaces the file needs no restart) and, when switched on, those
 * downloaded from the chain's CRL distribution points (http only, as RFC 5280 section 4.2.1.13 recommends),
 * kept until their nextUpdate.
 *
 * <p>A failed download keeps the CRL held before, if any; whether an outdated or missing CRL fails the
 * validation is PKIX's decision and the soft/hard setting's. The JDK's own distribution-point fetching
 * ({@code com.sun.security.enableCRLDP}) is a JVM-wide switch, which a web application must not turn.
 */
final class CrlSource {

    private static final System.Logger LOG = System.getLogger(CrlSource.class.getName());
    /** A CRL without nextUpdate is fetched again after this long. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
    /** A failed download is not tried again for this long. */
    private static final Duration RETRY = Duration.ofSeconds(30);
    private static final int MAX_CRL_BYTES = 16 * 1024 * 1024;
    private static final int MAX_DOWNLOADED = 1000;

    private record FileState(FileTime modified, long size, List<X509CRL> crls) {
    }

    private record Downloaded(X509CRL crl, Instant refreshAt) {
    }

    private final List<Path> files;
    private final boolean fetch;
    private final Duration timeout;
    private final Clock clock;
    private final Map<Path, FileState> fileStates = new ConcurrentHashMap<>();
    private final Map<URI, Downloaded> downloaded = new ConcurrentHashMap<>();
    private final Map<URI, Instant> failedUntil = new ConcurrentHashMap<>();
    private volatile HttpClient http;

    CrlSource(List<Path> files, boolean fetch, Duration timeout, Clock clock) {
        this.files = List.copyOf(files);
        this.fetch = fetch;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The CRLs for validating {@code chain}: every file's, and those of the chain's distribution points. */
    Collection<CRL> crlsFor(List<X509Certificate> chain) {
        List<CRL> out = new ArrayList<>();
        for (Path file : files) {
            out.addAll(fromFile(file));
        }
        if (fetch) {
            for (X509Certificate c : chain) {
                for (URI uri : distributionPoints(c)) {
                    X509CRL crl = download(uri);
                    if (crl != null) {
                        out.add(crl);
                    }
                }
            }
        }
        return out;
    }

    private List<X509CRL> fromFile(Path file) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            FileState state = fileStates.get(file);
            if (state != null && state.modified().equals(modified) && state.size() == size) {
                return state.crls();
            }
            List<X509CRL> crls = parse(Files.readAllBytes(file));
            fileStates.put(file, new FileState(modified, size, crls));
            LOG.log(Level.INFO, "read {0} CRL(s) from {1}", crls.size(), file);
            return crls;
        } catch (NoSuchFileException e) {
            LOG.log(Level.WARNING, "CRL file {0} is missing", file);
        } catch (IOException | GeneralSecurityException e) {
            LOG.log(Level.WARNING, "CRL file {0} cannot be read: {1}", file, e.getMessage());
        }
        FileState last = fileStates.get(file);
        return last == null ? List.of() : last.crls(); // a file being replaced: the previous content meanwhile
    }

    private X509CRL download(URI uri) {
        Instant now = clock.instant();
        Downloaded held = downloaded.get(uri);
        if (held != null && now.isBefore(held.refreshAt())) {
            return held.crl();
        }
        Instant blocked = failedUntil.get(uri);
        if (blocked != null && now.isBefore(blocked)) {
            return held == null ? null : held.crl();
        }
        try {
            HttpResponse<InputStream> response = client().send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_CRL_BYTES + 1);
            }
            if (response.statusCode() != 200 || body.length > MAX_CRL_BYTES) {
                throw new IOException("HTTP " + response.statusCode() + (body.length > MAX_CRL_BYTES ? ", over 16 MiB" : ""));
            }
            List<X509CRL> crls = parse(body);
            if (crls.size() != 1) {
                throw new IOException(crls.size() + " CRLs instead of one");
            }
            X509CRL crl = crls.get(0);
            Instant next = crl.getNextUpdate() == null ? now.plus(DEFAULT_LIFETIME) : crl.getNextUpdate().toInstant();
            if (downloaded.size() >= MAX_DOWNLOADED) {
                downloaded.clear(); // bounded, whatever distribution points clients present
            }
            downloaded.put(uri, new Downloaded(crl, next.isAfter(now) ? next : now.plus(RETRY)));
            failedUntil.remove(uri);
            return crl;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            failedUntil.put(uri, now.plus(RETRY));
            LOG.log(Level.WARNING, "CRL distribution point {0} cannot be read: {1}", ClientText.quote(uri.toString(), 200),
                    ClientText.quote(String.valueOf(e.getMessage()), 200));
            return held == null ? null : held.crl();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return held == null ? null : held.crl();
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            c = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
            http = c;
        }
        return c;
    }

    /** The http URLs of a certificate's CRL distribution points (full names only). */
    static List<URI> distributionPoints(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return List.of();
        }
        List<URI> out = new ArrayList<>();
        try {
            for (DistributionPoint dp : CRLDistPoint.getInstance(ASN1OctetString.getInstance(value).getOctets()).getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        URI uri = URI.create(g.getName().toString());
                        if ("http".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))) {
                            out.add(uri);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "a malformed CRL distribution points extension is ignored");
        }
        return out;
    }

    private static List<X509CRL> parse(byte[] bytes) throws GeneralSecurityException {
        List<X509CRL> crls = new ArrayList<>();
        for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes))) {
            crls.add((X509CRL) crl);
        }
        return crls;
    }
}
