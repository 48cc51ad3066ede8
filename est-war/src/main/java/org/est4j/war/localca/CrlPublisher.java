package org.est4j.war.localca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The CRL of one local CA (RFC 5280 section 5): a v2 CRL signed with the CA key, listing every revocation of its
 * {@link Revocations}, with a CRL number and the authority key identifier.
 *
 * <p><b>When a new CRL is made.</b> Lazily, when one is asked for and the current one is stale: the revocation log
 * grew (a CMC revocation, or an {@code Admin revoke} appended from another process), or half of its validity has
 * passed, so that a relying party that fetched it just before {@code nextUpdate} still gets a fresh one well before
 * it expires. Making one is serialised: two concurrent requests can never get two CRLs with the same number.
 *
 * <p><b>CRL numbers only ever increase</b> (RFC 5280 section 5.2.3), also across restarts: the last CRL is kept in
 * {@code ca/<name>/crl.der}, written atomically and fsync'd before it is handed out, and its number is read back at
 * start. The file is also what a restart serves until the next change, so relying parties see the same CRL. Instances
 * sharing one CA through a database share its {@link CrlArchive}: a number another instance took first is never
 * reused, and its CRL is served when it covers every revocation.
 */
final class CrlPublisher {

    /** Makes a signer with the CA key, the same way certificates are signed. */
    @FunctionalInterface
    interface Signer {
        ContentSigner get() throws OperatorCreationException;
    }

    /** A CRL handed out, with what is needed to tell whether it is still current. */
    private record Published(X509CRL crl, Instant thisUpdate, Instant nextUpdate, int covers) {
    }

    private final CrlArchive archive;
    private final X500Name issuer;
    private final PublicKey caKey;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final Revocations revocations;
    private final Duration validity;
    private final Signer signer;
    private final Clock clock;
    // read without the lock (the common case: still current), replaced under it
    private volatile Published current;
    private BigInteger lastNumber; // guarded by this

    CrlPublisher(CrlArchive archive, X500Name issuer, PublicKey caKey, AuthorityKeyIdentifier authorityKeyIdentifier,
                 Revocations revocations, Duration validity, Signer signer, Clock clock) throws IOException {
        this(archive, issuer, caKey, authorityKeyIdentifier, revocations, validity, signer, clock, BigInteger.ZERO);
    }

    /**
     * A publisher whose numbers continue above {@code floor}: a new key generation's CRLs are numbered after the last one
     * the previous key signed, so that a relying party comparing numbers across the rollover never sees one go back.
     */
    CrlPublisher(CrlArchive archive, X500Name issuer, PublicKey caKey, AuthorityKeyIdentifier authorityKeyIdentifier,
                 Revocations revocations, Duration validity, Signer signer, Clock clock, BigInteger floor) throws IOException {
        this.archive = archive;
        this.issuer = issuer;
        this.caKey = caKey;
        this.authorityKeyIdentifier = authorityKeyIdentifier;
        this.revocations = revocations;
        this.validity = validity;
        this.signer = signer;
        this.clock = clock;
        synchronized (this) {
            lastNumber = floor;
            current = load();
        }
    }

    /** The highest CRL number this publisher made or found in its archive (0 before the first). */
    synchronized BigInteger lastNumber() {
        return lastNumber;
    }

    /** The current CRL, made anew first if the revocations changed or half of its validity passed. */
    X509CRL current() throws IOException {
        Published p = current;
        if (p != null && isCurrent(p)) {
            return p.crl();
        }
        synchronized (this) {
            p = current;
            if (p == null || !isCurrent(p)) {
                p = issue();
                current = p;
            }
            return p.crl();
        }
    }

    private boolean isCurrent(Published p) throws IOException {
        Instant now = clock.instant();
        Instant half = p.thisUpdate().plus(Duration.between(p.thisUpdate(), p.nextUpdate()).dividedBy(2));
        return p.covers() == revocations.count() && now.isBefore(half) && !now.isBefore(p.thisUpdate());
    }

    /**
     * The next CRL: the archive's latest when another instance of this CA made it meanwhile and it is current, else a
     * new one with the next number. Call with the lock held.
     */
    private Published issue() throws IOException {
        for (int attempt = 0; ; attempt++) {
            Published latest = load();
            if (latest != null && isCurrent(latest)) {
                return latest;
            }
            Published made = make(lastNumber.add(BigInteger.ONE));
            if (made != null) {
                return made;
            }
            if (attempt == 10) {
                throw new IOException(archive + ": another instance keeps taking the next CRL number; try again");
            }
        }
    }

    /** Makes, records and returns the CRL numbered {@code number}; null when another instance took that number. */
    private Published make(BigInteger number) throws IOException {
        List<Revocations.Revocation> all = revocations.all();
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(validity);
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (Revocations.Revocation r : all) {
            b.addCRLEntry(r.serial(), Date.from(r.time()), entryExtensions(r.reason()));
        }
        byte[] der;
        try {
            b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            der = b.build(signer.get()).getEncoded();
        } catch (CertIOException | OperatorCreationException e) {
            throw new IOException(archive + ": the CA could not sign its CRL: " + e.getMessage(), e);
        }
        X509CRL crl = parse(der);
        // recorded before anyone sees it: a restart (or another instance) must never hand out this number again
        if (!archive.publish(number, der)) {
            return null;
        }
        lastNumber = number;
        return new Published(crl, thisUpdate, nextUpdate, all.size());
    }

    /**
     * The reasonCode entry extension (RFC 5280 section 5.3.1), left out for unspecified, as that section recommends.
     * Codes that have no place in a CRL entry (7 is unassigned, removeFromCRL is for delta CRLs, anything out of range
     * from an old log line) are written as unspecified too, rather than making a CRL relying parties would reject.
     */
    private static Extensions entryExtensions(int reason) throws IOException {
        if (reason <= CRLReason.unspecified || reason > CRLReason.aACompromise || reason == 7 || reason == CRLReason.removeFromCRL) {
            return null;
        }
        return new Extensions(new Extension(Extension.reasonCode, false, CRLReason.lookup(reason).getEncoded()));
    }

    /**
     * Reads the archive's latest CRL: its number is where the next one continues (never lower than one this instance
     * made). Returns it to be served while current, unless another key signed it (the CA was made anew): then only its
     * number is kept. Call with the lock held.
     */
    private Published load() throws IOException {
        Optional<byte[]> der = archive.latest();
        if (der.isEmpty()) {
            return null;
        }
        X509CRL crl;
        BigInteger number;
        try {
            crl = parse(der.get());
            byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
            if (ext == null) {
                throw new IOException("it has no CRL number");
            }
            number = ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(archive + " is damaged (" + e.getMessage() + "): it holds the last CRL number, which must only "
                    + "increase. Restore it from a backup, or move it away to start the CA's CRL numbers over at 1", e);
        }
        lastNumber = number.max(lastNumber);
        try {
            crl.verify(caKey);
        } catch (GeneralSecurityException e) {
            return null; // not this CA key's: the next CRL is made at the first request, with the next number
        }
        if (crl.getNextUpdate() != null && X500Name.getInstance(crl.getIssuerX500Principal().getEncoded()).equals(issuer)) {
            int entries = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
            return new Published(crl, crl.getThisUpdate().toInstant(), crl.getNextUpdate().toInstant(), entries);
        }
        return null;
    }

    private static X509CRL parse(byte[] der) throws IOException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | java.security.cert.CertificateException e) {
            throw new IOException("not a CRL: " + e.getMessage(), e);
        }
    }
}
