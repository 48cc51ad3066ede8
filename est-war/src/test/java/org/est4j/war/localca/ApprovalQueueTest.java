package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.UnverifiedIdentity;
import org.est4j.war.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manual-approval queue: durable across instances (a restart), decisions used once, and the Admin command. */
class ApprovalQueueTest {

    @TempDir
    Path home;

    private static final AuthenticatedClient ALICE = new AuthenticatedClient(List.of(), Optional.of("alice"),
            Set.of(AuthenticationMethod.HTTP_BASIC), "192.0.2.1");
    private static final AuthenticatedClient STRANGER = AuthenticatedClient.unverified(
            new UnverifiedIdentity(List.of(), Optional.of("alice"), "unknown HTTP user"), "192.0.2.9");

    private FileApprovalQueue queue() {
        return new FileApprovalQueue(home.resolve("ca").resolve("default").resolve("pending"));
    }

    @Test
    void theIdBindsTheRequestToTheClient() {
        byte[] csr = {1, 2, 3};
        assertEquals(ApprovalQueue.idOf(ALICE, csr), ApprovalQueue.idOf(ALICE, csr.clone()));
        assertNotEquals(ApprovalQueue.idOf(ALICE, csr), ApprovalQueue.idOf(ALICE, new byte[] {1, 2, 4}));
        assertNotEquals(ApprovalQueue.idOf(ALICE, csr), ApprovalQueue.idOf(STRANGER, csr),
                "an unverified client claiming a known name is not that user");
    }

    @Test
    void aQueuedRequestSurvivesARestartAndItsApprovalIsUsedOnce() throws Exception {
        String id = ApprovalQueue.idOf(ALICE, new byte[] {5});
        queue().submit(id, Map.of("subject", "CN=device"));
        queue().submit(id, Map.of("subject", "CN=device")); // a repetition does not queue twice
        assertEquals(ApprovalQueue.State.PENDING, queue().state(id), "a new instance (a restart) sees the request");
        assertEquals(1, queue().list().size());

        AtomicInteger issued = new AtomicInteger();
        assertEquals(Optional.empty(), queue().issueIfApproved(id, () -> new ApprovalQueue.IssuedRecord<>(issued.incrementAndGet(), "1")));
        assertEquals(0, issued.get(), "nothing is issued before a decision");

        queue().approve(id, "admin", "ok");
        assertEquals(ApprovalQueue.State.APPROVED, queue().state(id));
        assertEquals(Optional.of(1), queue().issueIfApproved(id, () -> new ApprovalQueue.IssuedRecord<>(issued.incrementAndGet(), "a1")));
        assertEquals(ApprovalQueue.State.NONE, queue().state(id), "used: the next identical request queues again");
        assertTrue(Files.readString(queue().directory().resolve(id + ".issued")).contains("serial=a1"));
    }

    @Test
    void aRejectionStandsAndCannotBeReversedByApproving() throws Exception {
        String id = ApprovalQueue.idOf(STRANGER, new byte[] {6});
        queue().submit(id, Map.of("subject", "CN=unknown"));
        queue().reject(id, "admin", "not ours");
        assertEquals(ApprovalQueue.State.REJECTED, queue().state(id));
        assertThrows(IllegalArgumentException.class, () -> queue().approve(id, "admin", ""));
    }

    @Test
    void adminListsApprovesByUniquePrefixAndRefusesUnknownIds() throws Exception {
        String id = ApprovalQueue.idOf(STRANGER, new byte[] {7});
        queue().submit(id, Map.of("subject", "CN=line-7", "client", ApprovalQueue.describe(STRANGER), "csr", "MIIB"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertEquals(0, Admin.run(new String[] {"list"}, home, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err)));
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.contains(id + "  PENDING") && listing.contains("UNKNOWN HTTP user alice"), listing);
        assertTrue(!listing.contains("MIIB"), "the CSR itself is not dumped on the terminal");

        assertEquals(1, Admin.run(new String[] {"approve", "ffffffffff"}, home, new PrintStream(out), new PrintStream(err)));
        assertEquals(2, Admin.run(new String[] {"approve"}, home, new PrintStream(out), new PrintStream(err)));
        assertEquals(0, Admin.run(new String[] {"approve", id.substring(0, 8), "checked", "serial"}, home, new PrintStream(out),
                new PrintStream(err)));
        assertEquals(ApprovalQueue.State.APPROVED, queue().state(id));
        assertTrue(Files.readString(queue().directory().resolve(id + ".approved")).contains("approved-note=checked serial"));
    }
}
