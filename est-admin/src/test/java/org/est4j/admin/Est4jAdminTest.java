package org.est4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.est4j.war.EstHome;
import org.est4j.war.config.Est4jConfig;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.store.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: help, exit statuses, what goes to standard output and to standard error. */
class Est4jAdminTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int admin(String... args) {
        out.reset();
        err.reset();
        return Est4jAdmin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path initialised() {
        Path home = dir.resolve("home");
        assertEquals(0, admin("init", "--home", home.toString()), this::err);
        return home;
    }

    @Test
    void helpListsEveryCommandAndTheExitStatuses() {
        assertEquals(0, admin("--help"));
        for (String command : List.of("init", "list", "approve", "reject", "add-otp", "revoke", "rollover", "migrate-store")) {
            assertTrue(out().contains("\n  " + command + " "), () -> command + " missing from:\n" + out());
        }
        assertTrue(out().contains("Exit status:"), out());
        assertTrue(out().contains("2   usage"), out());
        assertEquals("", err());
    }

    @Test
    void rolloverRollsAStoppedDataDirectoryOverAndFinishesIt() {
        Path home = initialised();
        assertEquals(2, admin("rollover", "--home", home.toString()));
        assertEquals(1, admin("rollover", "--home", home.toString(), "nosuch"));
        assertTrue(err().contains("no local CA named 'nosuch'"), err());
        assertEquals(0, admin("rollover", "--home", home.toString(), "default"), this::err);
        assertTrue(out().startsWith("local CA default rolled over from key generation 1 to 2"), out());
        assertEquals(1, admin("rollover", "--home", home.toString(), "default"));
        assertTrue(err().contains("rollover --finish default"), err());
        assertEquals(0, admin("rollover", "--home", home.toString(), "--finish", "default"), this::err);
        assertTrue(out().startsWith("local CA default: the overlap ended"), out());
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        assertEquals(0, admin("revoke", "--help"));
        assertTrue(out().startsWith("Usage: est4j-admin revoke [-hV] [--ca=NAME] [--home=DIR] SERIAL [REASON]"), out());
        assertTrue(out().contains("keyCompromise"), out());
        assertEquals(0, admin("rollover", "--help"));
        assertTrue(out().startsWith("Usage: est4j-admin rollover [-hV] [--finish] [--home=DIR] CA"), out());
        assertTrue(out().contains("--finish"), out());
        assertEquals(0, admin("help", "approve"));
        assertTrue(out().startsWith("Usage: est4j-admin approve [-hV] [--home=DIR] ID [NOTE...]"), out());
    }

    @Test
    void aWrongCommandLineIsUsageOnStandardError() {
        assertEquals(2, admin());
        assertTrue(err().startsWith("est4j-admin: a command is missing"), err());
        assertEquals("", out());

        assertEquals(2, admin("aprove", "123456"));
        assertTrue(err().startsWith("Unmatched arguments from index 0: 'aprove'"), err());

        assertEquals(2, admin("approve"));
        assertTrue(err().startsWith("Missing required parameter: 'ID'"), err());
        assertEquals(2, admin("revoke", "01", "superseded", "extra"));
        assertEquals("", out());
    }

    @Test
    void initPreparesTheDirectoryAndLeavesItAsItIsTheSecondTime() throws Exception {
        Path home = initialised();
        assertTrue(out().startsWith("est4j data directory:       " + home), out());
        for (String file : List.of("ca.pem", "tls-server.pem", "tls-server-key.pem", "client-truststore.p12", "initial-credentials",
                "est4j.properties")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
        byte[] ca = Files.readAllBytes(home.resolve("ca.pem"));
        assertEquals(0, admin("--home", home.toString(), "init"));
        assertTrue(java.util.Arrays.equals(ca, Files.readAllBytes(home.resolve("ca.pem"))), "the CA was created again");
    }

    @Test
    void aDirectoryThatWasNeverPreparedIsRefusedAndNotCreated() {
        Path typo = dir.resolve("est-hmoe");
        assertEquals(1, admin("list", "--home", typo.toString()));
        assertEquals("est4j-admin: " + typo + " is not an est4j data directory (no est4j.properties): give --home, set EST_HOME, "
                + "or prepare it with `est4j-admin init`\n", err());
        assertEquals("", out());
        assertFalse(Files.exists(typo));
    }

    @Test
    void anInvalidConfigurationIsUsageNamingTheKey() throws Exception {
        Path home = initialised();
        Files.writeString(home.resolve("est4j.properties"), "store = carrier-pigeon\n");
        assertEquals(2, admin("list", "--home", home.toString()));
        assertTrue(err().startsWith("est4j-admin: ") && err().contains("store"), err());
    }

    @Test
    void approveAndRejectWorkOnTheQueueWithTheirNotes() throws Exception {
        Path home = initialised();
        String waiting = "a1b2c3d4".repeat(4);
        String other = "f0e1d2c3".repeat(4);
        try (StateStore store = EstHome.openStore(home, Est4jConfig.load(home.resolve(Est4jConfig.FILE_NAME)))) {
            ApprovalQueue queue = store.approvals(Est4jConfig.DEFAULT_CA);
            queue.submit(waiting, Map.of("subject", "CN=device-7"));
            queue.submit(other, Map.of("subject", "CN=device-8"));
        }
        assertEquals(0, admin("list", "--home", home.toString()), this::err);
        assertTrue(out().contains(waiting + "  PENDING") && out().contains("CN=device-7"), out());
        assertTrue(out().endsWith("2 request(s) in files in " + home + "\n"), out());

        assertEquals(1, admin("approve", "--home", home.toString(), "999999"));
        assertEquals("no waiting request with id 999999\n", err());
        assertEquals(1, admin("approve", "--home", home.toString(), "a1b2c"), "fewer than 6 digits match nothing");

        assertEquals(0, admin("approve", "--home", home.toString(), waiting.substring(0, 8), "checked", "the", "label"), this::err);
        assertEquals("approved " + waiting + ": the client's next repetition of the request gets its certificate\n", out());
        assertEquals(0, admin("reject", other.substring(0, 6), "not one of ours", "--home", home.toString()), this::err);
        assertEquals(1, admin("approve", "--home", home.toString(), waiting.substring(0, 8)), "decided already");

        try (StateStore store = EstHome.openStore(home, Est4jConfig.load(home.resolve(Est4jConfig.FILE_NAME)))) {
            assertEquals(ApprovalQueue.State.APPROVED, store.approvals(Est4jConfig.DEFAULT_CA).state(waiting));
            assertEquals(ApprovalQueue.State.REJECTED, store.approvals(Est4jConfig.DEFAULT_CA).state(other));
        }
        assertEquals(0, admin("list", "--home", home.toString()));
        assertTrue(out().contains("not one of ours"), out());
    }

    @Test
    void addOtpPrintsThePasswordsOnlyOnStandardOutput() throws Exception {
        Path home = initialised();
        assertEquals(0, admin("add-otp", "3", "--home", home.toString()), this::err);
        List<String> passwords = out().lines().toList();
        assertEquals(3, passwords.size(), out());
        passwords.forEach(p -> assertTrue(p.matches("[A-Za-z0-9_-]{20}"), p));
        assertEquals(3, passwords.stream().distinct().count());
        assertFalse(err().contains(passwords.get(0)));

        assertEquals(0, admin("add-otp", "--home", home.toString()));
        assertEquals(1, out().lines().count(), "one by default");
        assertEquals(2, admin("add-otp", "0", "--home", home.toString()));
        assertEquals("usage: est4j-admin add-otp [count 1-10000]\n", err());
        assertEquals("", out());
    }

    @Test
    void revokeRefusesWhatNoLocalCaIssuedAndBadArguments() {
        Path home = initialised();
        assertEquals(1, admin("revoke", "--home", home.toString(), "0123abcd"));
        assertTrue(err().startsWith("no local CA in files in " + home + " issued serial 123abcd"), err());
        assertEquals(2, admin("revoke", "--home", home.toString(), "not-hex"));
        assertTrue(err().startsWith("'not-hex' is not a serial number in hex"), err());
        assertEquals(2, admin("revoke", "--home", home.toString(), "0123abcd", "removeFromCRL"));
        assertEquals(1, admin("revoke", "--home", home.toString(), "0123abcd", "keyCompromise", "--ca", "other"));
        assertTrue(err().startsWith("no local CA named other in"), err());
    }

    @Test
    void migrateStoreRefusesAFileStoreTarget() {
        Path home = initialised();
        assertEquals(1, admin("migrate-store", "--home", home.toString()));
        assertTrue(err().startsWith("est4j.properties says store = file"), err());
    }
}
