package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's search of a file store's issuance log: by subject, serial and date, newest first, a page at a time. */
class IssuedSearchTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private static IssuedCertificates.Query query(String subject, Optional<BigInteger> serial, int offset, int limit) {
        return new IssuedCertificates.Query(subject, serial, Optional.empty(), Optional.empty(), offset, limit);
    }

    private List<X509Certificate> issue(String... names) throws Exception {
        CaSettings settings = new CaSettings("default", KeyAlgorithm.EC_P256, "CN=Search Test CA", 3650, 30, List.of(CLIENT_AUTH),
                new org.est4j.spi.CsrAttributes(List.of()), false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS);
        List<X509Certificate> issued = new ArrayList<>();
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings)) {
            for (String name : names) {
                issued.add(ca.issue(new LocalCa.Profile(new X500Principal(name), KeyAlgorithm.EC_P256.generate().getPublic(), null,
                        List.of(CLIENT_AUTH))));
            }
        }
        return issued;
    }

    private static List<String> subjects(IssuedCertificates.Page page) {
        return page.found().stream().map(f -> f.certificate().getSubjectX500Principal().getName()).toList();
    }

    @Test
    void aSubjectSubstringInAnyCaseNewestFirst() throws Exception {
        issue("CN=pump-1,O=Plant", "CN=valve-1,O=Plant", "CN=pump-2,O=Plant");
        IssuedCertificates.Page page = CaRecords.searchIssued(dir, query("PUMP", Optional.empty(), 0, 10));
        assertEquals(List.of("CN=pump-2,O=Plant", "CN=pump-1,O=Plant"), subjects(page));
        assertFalse(page.more());
        assertEquals(3, CaRecords.searchIssued(dir, query("o=plant", Optional.empty(), 0, 10)).found().size());
        assertTrue(CaRecords.searchIssued(dir, query("boiler", Optional.empty(), 0, 10)).found().isEmpty());
    }

    @Test
    void aSerialFindsItsOneCertificate() throws Exception {
        List<X509Certificate> issued = issue("CN=a", "CN=b", "CN=c");
        IssuedCertificates.Page page = CaRecords.searchIssued(dir, query("", Optional.of(issued.get(1).getSerialNumber()), 0, 10));
        assertEquals(List.of("CN=b"), subjects(page));
        assertEquals(issued.get(1), page.found().get(0).certificate());
        assertTrue(CaRecords.searchIssued(dir, query("", Optional.of(BigInteger.valueOf(12345)), 0, 10)).found().isEmpty());
        assertTrue(CaRecords.searchIssued(dir, query("CN=a", Optional.of(issued.get(1).getSerialNumber()), 0, 10)).found().isEmpty(),
                "every criterion must hold");
    }

    @Test
    void theIssueDateIsARange() throws Exception {
        List<X509Certificate> issued = issue("CN=dated");
        Instant notBefore = issued.get(0).getNotBefore().toInstant().plus(LocalCa.CLOCK_SKEW);
        IssuedCertificates.Page page = CaRecords.searchIssued(dir, new IssuedCertificates.Query("", Optional.empty(),
                Optional.of(notBefore.minus(1, ChronoUnit.DAYS)), Optional.of(notBefore.plusSeconds(1)), 0, 10));
        assertEquals(List.of("CN=dated"), subjects(page));
        assertEquals(notBefore, page.found().get(0).issued(), "a file store's issue time is when the CA signed: notBefore and the skew allowance");
        assertTrue(CaRecords.searchIssued(dir, new IssuedCertificates.Query("", Optional.empty(), Optional.of(notBefore.plusSeconds(1)),
                Optional.empty(), 0, 10)).found().isEmpty());
        assertTrue(CaRecords.searchIssued(dir, new IssuedCertificates.Query("", Optional.empty(), Optional.empty(),
                Optional.of(notBefore), 0, 10)).found().isEmpty(), "the end is excluded");
    }

    @Test
    void pagesFollowEachOther() throws Exception {
        issue("CN=n1", "CN=n2", "CN=n3", "CN=n4", "CN=n5");
        IssuedCertificates.Page first = CaRecords.searchIssued(dir, query("CN=n", Optional.empty(), 0, 2));
        assertEquals(List.of("CN=n5", "CN=n4"), subjects(first));
        assertTrue(first.more());
        IssuedCertificates.Page last = CaRecords.searchIssued(dir, query("CN=n", Optional.empty(), 4, 2));
        assertEquals(List.of("CN=n1"), subjects(last));
        assertFalse(last.more());
        assertTrue(CaRecords.searchIssued(dir, query("CN=n", Optional.empty(), 6, 2)).found().isEmpty());
    }

    @Test
    void aLineBeingWrittenIsNoMatchYetButDamageElsewhereIsAnError() throws Exception {
        issue("CN=whole");
        Path log = dir.resolve(CaRecords.ISSUED_LOG);
        Files.writeString(log, "1f MIIB", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        assertEquals(List.of("CN=whole"), subjects(CaRecords.searchIssued(dir, query("", Optional.empty(), 0, 10))));
        Files.writeString(log, "AAAA\n" + Files.readAllLines(log).get(0) + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        assertThrows(java.io.IOException.class, () -> CaRecords.searchIssued(dir, query("", Optional.empty(), 0, 10)));
    }

    @Test
    void aQueryIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> query("", Optional.empty(), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> query("", Optional.empty(), 0, IssuedCertificates.Query.MAX_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> query("", Optional.empty(), -1, 10));
    }
}
