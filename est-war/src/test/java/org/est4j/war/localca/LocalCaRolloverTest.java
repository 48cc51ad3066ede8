package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A local CA key rollover: the three certificates of RFC 4210 section 4.4 (names, key identifiers, signatures, validity),
 * validated by the JDK's PKIX across the rollover in both directions; issuance with the new key; both keys' CRLs; the
 * overlap across a restart and its end; crash safety of the switch.
 */
class LocalCaRolloverTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private static CaSettings settings(KeyAlgorithm alg) {
        return new CaSettings("default", alg, "CN=Rollover Test CA", 3650, 30, List.of(CLIENT_AUTH), new org.est4j.spi.CsrAttributes(List.of()),
                false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS, 24, URI.create("http://ca.example:8080/crl/default.crl"));
    }

    private static LocalCa.Profile profile(String cn) {
        return new LocalCa.Profile(new X500Principal("CN=" + cn), KeyAlgorithm.EC_P256.generate().getPublic(),
                new GeneralNames(new GeneralName(GeneralName.dNSName, cn + ".example")), List.of(CLIENT_AUTH));
    }

    private static byte[] ski(X509Certificate c) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(c.getExtensionValue(Extension.subjectKeyIdentifier.getId()))
                .getOctets()).getKeyIdentifier();
    }

    private static byte[] aki(X509Certificate c) {
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(c.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets()).getKeyIdentifier();
    }

    private static byte[] aki(X509CRL c) {
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(c.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets()).getKeyIdentifier();
    }

    private static BigInteger number(X509CRL crl) {
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets()).getValue();
    }

    private static String cdp(X509Certificate c) {
        CRLDistPoint p = CRLDistPoint.getInstance(ASN1OctetString.getInstance(c.getExtensionValue(Extension.cRLDistributionPoints.getId()))
                .getOctets());
        return GeneralNames.getInstance(p.getDistributionPoints()[0].getDistributionPoint().getName()).getNames()[0].getName().toString();
    }

    /** JDK PKIX: {@code path} (leaf first) validates under {@code anchor}. */
    private static void validates(X509Certificate anchor, X509Certificate... path) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(path)), params);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC_P256", "RSA_2048", "ED25519"})
    void theThreeCertificatesLinkTheKeysBothWaysAndNewIssuanceUsesTheNewKey(String algorithm) throws Exception {
        KeyAlgorithm alg = KeyAlgorithm.valueOf(algorithm);
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(alg))) {
            X509Certificate oldRoot = ca.certificate();
            X509Certificate a = ca.issue(profile("a"));
            assertEquals(List.of(oldRoot), ca.caCertificates());

            LocalCa.RolloverReport report = ca.rollover();
            assertEquals(2, report.generation());
            assertEquals(1, report.previous());
            List<X509Certificate> cacerts = ca.caCertificates();
            assertEquals(cacerts, report.caCertificates());
            assertEquals(3, cacerts.size());
            X509Certificate newWithNew = cacerts.get(0);
            X509Certificate newWithOld = cacerts.get(1);
            X509Certificate oldWithNew = cacerts.get(2);
            PublicKey oldKey = oldRoot.getPublicKey();
            PublicKey newKey = newWithNew.getPublicKey();
            assertNotEquals(oldKey, newKey);
            assertEquals(newWithNew, ca.certificate());
            assertEquals(oldKey.getAlgorithm(), newKey.getAlgorithm(), "the configured key algorithm");

            for (X509Certificate c : cacerts) {
                assertEquals(oldRoot.getSubjectX500Principal(), c.getSubjectX500Principal());
                assertEquals(oldRoot.getSubjectX500Principal(), c.getIssuerX500Principal());
                assertTrue(c.getBasicConstraints() >= 0, "a CA certificate");
                assertTrue(c.getKeyUsage()[5] && c.getKeyUsage()[6], "keyCertSign and cRLSign");
                assertNotEquals(oldRoot.getSerialNumber(), c.getSerialNumber());
            }
            // NewWithNew: self-signed by the new key
            newWithNew.verify(newKey);
            assertArrayEquals(ski(newWithNew), aki(newWithNew));
            assertFalse(java.util.Arrays.equals(ski(oldRoot), ski(newWithNew)));
            // NewWithOld: the new key, signed by the old one, no longer valid than the old root
            assertEquals(newKey, newWithOld.getPublicKey());
            newWithOld.verify(oldKey);
            assertThrows(java.security.SignatureException.class, () -> newWithOld.verify(newKey));
            assertArrayEquals(ski(newWithNew), ski(newWithOld));
            assertArrayEquals(ski(oldRoot), aki(newWithOld));
            assertFalse(newWithOld.getNotAfter().after(oldRoot.getNotAfter()));
            // OldWithNew: the old key, signed by the new one, as long as the old root
            assertEquals(oldKey, oldWithNew.getPublicKey());
            oldWithNew.verify(newKey);
            assertArrayEquals(ski(oldRoot), ski(oldWithNew));
            assertArrayEquals(ski(newWithNew), aki(oldWithNew));
            assertEquals(oldRoot.getNotAfter(), oldWithNew.getNotAfter());

            X509Certificate b = ca.issue(profile("b"));
            b.verify(newKey);
            assertArrayEquals(ski(newWithNew), aki(b));
            assertEquals("http://ca.example:8080/crl/default.g2.crl", cdp(b));
            assertEquals("http://ca.example:8080/crl/default.crl", cdp(a));
            assertTrue(ca.isIssuerOf(a) && ca.isIssuerOf(b));
            for (X509Certificate c : List.of(a, b)) {
                AuthorityKeyIdentifier id = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                        c.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets());
                assertEquals(null, id.getAuthorityCertSerialNumber(), "the key identifier alone: a link certificate of the same key is an issuer too");
                assertEquals(null, id.getAuthorityCertIssuer());
            }

            // a client trusting only the old root: B through NewWithOld; only the new root: A through OldWithNew
            validates(oldRoot, b, newWithOld);
            validates(newWithNew, a, oldWithNew);
            validates(newWithNew, b);
            assertThrows(CertPathValidatorException.class, () -> validates(oldRoot, b));
            assertThrows(CertPathValidatorException.class, () -> validates(newWithNew, a));
        }
    }

    @Test
    void eachKeySignsItsOwnCrlListingEveryRevocationAndTheOverlapOutlastsARestart() throws Exception {
        X509Certificate oldRoot;
        X509Certificate a;
        BigInteger oldNumber;
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            oldRoot = ca.certificate();
            a = ca.issue(profile("a"));
            oldNumber = number(ca.crl());
            ca.rollover();
        }
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(2, ca.generation());
            assertEquals(3, ca.caCertificates().size());
            assertEquals(List.of(ca.certificate(), oldRoot), ca.roots());
            assertTrue(ca.isIssuerOf(a), "an old-key certificate is still this CA's during the overlap");
            X509Certificate b = ca.issue(profile("b"));
            ca.revocations().record(a.getSerialNumber(), 1, "test");
            X509CRL oldCrl = ca.crl(1).orElseThrow();
            X509CRL newCrl = ca.crl(2).orElseThrow();
            assertEquals(newCrl, ca.crl());
            assertEquals(List.of(newCrl, oldCrl), ca.crls());
            oldCrl.verify(oldRoot.getPublicKey());
            newCrl.verify(ca.certificate().getPublicKey());
            assertArrayEquals(ski(oldRoot), aki(oldCrl));
            assertArrayEquals(ski(ca.certificate()), aki(newCrl));
            assertTrue(oldCrl.isRevoked(a) && newCrl.isRevoked(a), "every revocation of the CA name, on each key's CRL");
            assertFalse(newCrl.isRevoked(b));
            assertTrue(number(newCrl).compareTo(oldNumber) > 0, "the new key's numbers continue above the old key's");
            assertTrue(ca.crl(3).isEmpty());
            assertTrue(Files.exists(dir.resolve("generation-2/crl.der")));
        }
    }

    @Test
    void finishingDropsTheOldKeyAndTheLinksAndANextRolloverStartsFromTheNewKey() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            X509Certificate a = ca.issue(profile("a"));
            ca.rollover();
            LocalCa.RolloverRefusedException refused = assertThrows(LocalCa.RolloverRefusedException.class, ca::rollover);
            assertTrue(refused.getMessage().contains("rollover --finish default"), refused.getMessage());

            LocalCa.RolloverReport finished = ca.finishRollover();
            assertEquals(2, finished.generation());
            assertEquals(0, finished.previous());
            assertEquals(List.of(ca.certificate()), ca.caCertificates());
            assertFalse(ca.isIssuerOf(a));
            assertTrue(ca.crl(1).isEmpty());
            assertFalse(Files.exists(dir.resolve("ca-key.pem")), "the old key is gone");
            assertFalse(Files.exists(dir.resolve("generation-2/new-with-old.pem")));
            assertEquals(0, ca.finishRollover().previous(), "nothing left to finish");
        }
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(2, ca.generation(), "no new CA made although generation 1's key file is gone");
            X509Certificate second = ca.certificate();
            assertEquals(3, ca.rollover().generation());
            assertEquals(second.getPublicKey(), ca.caCertificates().get(2).getPublicKey(), "OldWithNew certifies generation 2's key");
            ca.finishRollover();
            assertFalse(Files.exists(dir.resolve("generation-2/ca-key.pem")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"key written", "generation written", "generation in place"})
    void aCrashBeforeTheSwitchLeavesTheOldStateAndTheNextRolloverSucceeds(String crashAt) throws Exception {
        X509Certificate oldRoot;
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            oldRoot = ca.certificate();
            IOException crash = assertThrows(IOException.class, () -> ca.rollover(step -> {
                if (step.equals(crashAt)) {
                    throw new IOException("power cut at " + step);
                }
            }));
            assertEquals("power cut at " + crashAt, crash.getMessage());
            assertEquals(List.of(oldRoot), ca.caCertificates(), "the running CA did not switch");
        }
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(1, ca.generation());
            assertEquals(List.of(oldRoot), ca.caCertificates());
            assertFalse(Files.exists(dir.resolve(KeyGenerations.STATE_FILE)));
            ca.rollover();
            assertEquals(3, ca.caCertificates().size());
            assertFalse(Files.exists(dir.resolve("generation-2.tmp")));
        }
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(2, ca.generation(), "after the switch, the complete new state");
            ca.certificate().verify(ca.certificate().getPublicKey());
        }
    }

    @Test
    void laterKeysCrlDistributionPointsCarryTheirGeneration() {
        assertEquals(URI.create("http://h:8080/crl/iot.crl"), LocalCa.crlDistributionPoint(URI.create("http://h:8080/crl/iot.crl"), 1));
        assertEquals(URI.create("http://h:8080/crl/iot.g2.crl"), LocalCa.crlDistributionPoint(URI.create("http://h:8080/crl/iot.crl"), 2));
        assertEquals(URI.create("http://h/pki/ca.g12.crl?x=1"), LocalCa.crlDistributionPoint(URI.create("http://h/pki/ca?x=1"), 12));
    }
}
