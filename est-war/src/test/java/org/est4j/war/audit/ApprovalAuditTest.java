package org.est4j.war.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.war.localca.FileApprovalQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An administrator's decision on a queued request reaches the installed listener, whoever makes it. */
class ApprovalAuditTest {

    @TempDir
    Path home;

    @Test
    void approveAndRejectAreRecordedWithTheCaTheIdAndTheActor() throws Exception {
        List<Decision> heard = new ArrayList<>();
        EstEvents recorder = new EstEvents() {
            @Override
            public void decided(Decision decision) {
                heard.add(decision);
            }
        };
        FileApprovalQueue queue = new FileApprovalQueue(home.resolve("ca").resolve("iot").resolve("pending"));
        String first = "0123456789abcdef0123456789abcdef";
        String second = "fedcba9876543210fedcba9876543210";
        queue.submit(first, Map.of("subject", "CN=a"));
        queue.submit(second, Map.of("subject", "CN=b"));
        AuditLog.install(recorder);
        try {
            queue.approve(first, "alice", "known device");
            queue.reject(second, "bob", "");
        } finally {
            AuditLog.uninstall(recorder);
        }
        assertEquals(2, heard.size());
        assertEquals(Decision.Outcome.APPROVED, heard.get(0).outcome());
        assertEquals(Optional.of("iot"), heard.get(0).ca());
        assertEquals(Optional.of(first), heard.get(0).queueId());
        assertEquals(Optional.of("alice"), heard.get(0).actor());
        assertEquals(Optional.of("known device"), heard.get(0).reason());
        assertEquals(Decision.Outcome.REJECTED, heard.get(1).outcome());
        assertEquals(Optional.empty(), heard.get(1).reason());
    }
}
