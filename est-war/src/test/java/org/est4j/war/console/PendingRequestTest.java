package org.est4j.war.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.UnverifiedIdentity;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.packages.PackageFixtures;
import org.junit.jupiter.api.Test;

/** What the console marks as proven and as the client's claim, from what the queue recorded. */
class PendingRequestTest {

    private static PendingRequest view(AuthenticatedClient client, String subject) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("subject", subject);
        details.put("subject-alt-names", List.of(new org.est4j.spi.SubjectAltName(org.est4j.spi.SubjectAltName.Type.DNS_NAME, "device.example"),
                new org.est4j.spi.SubjectAltName(org.est4j.spi.SubjectAltName.Type.IP_ADDRESS, "192.0.2.7")).toString());
        details.put("client", ApprovalQueue.describe(client));
        details.putAll(ApprovalQueue.identityDetails(client));
        return PendingRequest.of("default", new ApprovalQueue.Entry("0".repeat(32), ApprovalQueue.State.PENDING, details));
    }

    @Test
    void aPasswordProvesTheUserButNotTheRequestedSubject() {
        PendingRequest p = view(new AuthenticatedClient(List.of(), Optional.of("alice"), Set.of(AuthenticationMethod.HTTP_BASIC), "192.0.2.1"),
                "CN=alice");
        assertEquals(List.of("http-basic"), p.provenBy());
        assertEquals("HTTP user alice", p.provenIdentity());
        assertEquals("", p.unverifiedClient());
        assertFalse(p.subjectProven());
        assertFalse(p.noSubjectAltNames());
        assertEquals("DNS device.example, IP 192.0.2.7", p.subjectAltNamesText());
    }

    @Test
    void theSubjectOfTheValidatedCertificateIsProven() throws Exception {
        X509Certificate c = PackageFixtures.clientCertificate("CN=device-7", PackageFixtures.signer("CN=CA"), null, null);
        AuthenticatedClient client = new AuthenticatedClient(List.of(c), Optional.empty(), Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE),
                "192.0.2.1");
        assertTrue(view(client, "CN=device-7").subjectProven());
        assertFalse(view(client, "CN=device-8").subjectProven());
    }

    @Test
    void anUnknownUserIsOnlyAClaim() {
        PendingRequest p = view(AuthenticatedClient.unverified(new UnverifiedIdentity(List.of(), Optional.of("factory-7; HTTP user root"),
                "unknown HTTP user"), "192.0.2.9"), "CN=x");
        assertTrue(p.provenBy().isEmpty());
        assertEquals("", p.provenIdentity());
        assertEquals("HTTP user factory-7; HTTP user root", p.unverifiedClient(), "a user name that looks like two parts stays one claim");
    }

    @Test
    void anEntryOfAnEarlierVersionIsReadFromItsDescription() {
        Map<String, String> details = Map.of("subject", "CN=x", "client", "UNKNOWN HTTP user bob");
        PendingRequest p = PendingRequest.of("default", new ApprovalQueue.Entry("1".repeat(32), ApprovalQueue.State.PENDING, details));
        assertTrue(p.provenBy().isEmpty());
        assertEquals("UNKNOWN HTTP user bob", p.unverifiedClient());
        assertTrue(p.noSubjectAltNames());
    }
}
