package org.est4j.war;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.est4j.war.config.Est4jConfig;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.RevocationReason;
import org.est4j.war.store.StateStore;
import org.est4j.war.store.StoreMigration;

/**
 * The administrator's commands on a data directory's store, behind {@code java -jar est4j-admin.jar} (est-admin, which
 * adds {@code --help} and {@code init}) and callable in-process through {@link #run}. For requests waiting for manual
 * approval (RFC 7030 section 3.7 and {@code ca.<name>.approval = manual}), one-time passwords, revocations and the
 * move to a database:
 * <pre>
 *   list                     every waiting or rejected request, with the client and what it asks for
 *   approve &lt;id&gt; [note]      the client's next repetition of the request is issued
 *   reject &lt;id&gt; [note]       the client's repetitions are refused with 403
 *   add-otp [count]          creates one-time passwords (RFC 7030 section 3.2.3, user name ""), printed once
 *   revoke &lt;serial hex&gt; [reason] [--ca name]
 *                            revokes a certificate of a local CA; from the server's next request on it authenticates
 *                            nothing. Reasons: RFC 5280 CRLReason names or codes (default unspecified)
 *   rollover &lt;ca&gt; [--finish]  rolls the key of local CA &lt;ca&gt; over (RFC 7030 section 4.1.3, docs/rollover.md): a new key
 *                            and root, and the link certificates; with --finish ends the overlap (the old key and the
 *                            links are deleted). Only while est4j is stopped: it refuses while a running instance holds
 *                            the CA's issuance log (file store); with store = jdbc stop every instance first
 *   migrate-store            copies the file store of EST_HOME into the database that est4j.properties names
 *                            (store = jdbc): every certificate, revocation, the last CRL number, queued requests,
 *                            one-time passwords and returns. Run it with every instance stopped.
 * </pre>
 * An id may be abbreviated to any unique prefix of 6 or more digits. It works on the store that {@code EST_HOME}'s
 * {@code est4j.properties} names (its files, or the shared database through {@code store.jdbc-url}) while the
 * servers run: every instance sees a decision on the client's next request.
 */
public final class Admin {

    private Admin() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, EstHome.location(), System.out, System.err));
    }

    /** Runs one command; returns the exit status (0 done, 1 refused, 2 usage). */
    public static int run(String[] args, Path home, PrintStream out, PrintStream err) throws IOException {
        if (args.length == 0) {
            err.println("usage: est4j-admin list | approve <id> [note] | reject <id> [note] | add-otp [count] | revoke <serial hex> [reason] [--ca name]"
                    + " | rollover <ca> [--finish] | migrate-store   (data directory " + home + ")");
            return 2;
        }
        Est4jConfig config = Est4jConfig.load(home.resolve(Est4jConfig.FILE_NAME));
        if (args[0].equals("migrate-store")) {
            return StoreMigration.run(home, config, out, err);
        }
        // the administrator's decisions go to the same audit file as the server's (approve and reject are recorded by
        // the queues, a revocation below)
        try (StateStore store = EstHome.openStore(home, config)) {
            if (!config.audit().enabled()) {
                return run(args, home, config, store, out, err);
            }
            try (org.est4j.war.audit.AuditTrail audit = org.est4j.war.audit.AuditTrail.open(home, config.audit())) {
                org.est4j.war.audit.AuditLog.install(audit);
                try {
                    return run(args, home, config, store, out, err);
                } finally {
                    org.est4j.war.audit.AuditLog.uninstall(audit);
                }
            }
        }
    }

    private static int run(String[] args, Path home, Est4jConfig config, StateStore store, PrintStream out, PrintStream err)
            throws IOException {
        List<ApprovalQueue> queues = new ArrayList<>();
        for (String ca : caNames(config)) {
            queues.add(store.approvals(ca));
        }
        switch (args[0]) {
            case "list" -> {
                int n = 0;
                for (ApprovalQueue queue : queues) {
                    for (ApprovalQueue.Entry e : queue.list()) {
                        n++;
                        out.println(e.id() + "  " + e.state());
                        for (Map.Entry<String, String> d : e.details().entrySet()) {
                            if (!d.getKey().equals("csr")) {
                                out.println("    " + d.getKey() + ": " + org.est4j.jaxrs.ClientText.quote(d.getValue()));
                            }
                        }
                    }
                }
                out.println(n + " request(s) in " + store.description());
                return 0;
            }
            case "approve", "reject" -> {
                if (args.length < 2) {
                    err.println("usage: est4j-admin " + args[0] + " <id> [note]");
                    return 2;
                }
                String note = args.length > 2 ? String.join(" ", List.of(args).subList(2, args.length)) : "";
                List<Match> matches = find(queues, args[1]);
                if (matches.size() != 1) {
                    err.println(matches.isEmpty() ? "no waiting request with id " + args[1]
                            : "id " + args[1] + " is ambiguous: give more digits");
                    return 1;
                }
                Match m = matches.get(0);
                String by = System.getProperty("user.name", "unknown");
                try {
                    OperatorActions.decide(m.queue(), m.id(), args[0].equals("approve"), by, note);
                } catch (IllegalArgumentException e) {
                    err.println(e.getMessage());
                    return 1;
                }
                out.println((args[0].equals("approve") ? "approved " : "rejected ") + m.id()
                        + ": the client's next repetition of the request gets " + (args[0].equals("approve") ? "its certificate" : "403"));
                return 0;
            }
            case "add-otp" -> {
                int count;
                try {
                    count = args.length > 1 ? Integer.parseInt(args[1]) : 1;
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 1 || count > 10_000) {
                    err.println("usage: est4j-admin add-otp [count 1-10000]");
                    return 2;
                }
                List<char[]> passwords = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    passwords.add(EstHome.randomPassword(20));
                }
                store.oneTimePasswords().add(passwords);
                // printed once, stored only as digests: hand them to the devices now
                passwords.forEach(p -> out.println(new String(p)));
                return 0;
            }
            case "revoke" -> {
                return revoke(args, config, store, out, err);
            }
            case "rollover" -> {
                return rollover(args, home, config, store, out, err);
            }
            default -> {
                err.println("unknown command '" + org.est4j.jaxrs.ClientText.quote(args[0], 40)
                        + "': list, approve, reject, add-otp, revoke, rollover or migrate-store");
                return 2;
            }
        }
    }

    private static int revoke(String[] args, Est4jConfig config, StateStore store, PrintStream out, PrintStream err) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        String caName = null;
        int flag = rest.indexOf("--ca");
        if (flag >= 0) {
            if (flag + 1 >= rest.size()) {
                err.println("usage: est4j-admin revoke <serial hex> [reason] [--ca name]");
                return 2;
            }
            caName = rest.get(flag + 1);
            rest.subList(flag, flag + 2).clear();
        }
        if (rest.isEmpty() || rest.size() > 2) {
            err.println("usage: est4j-admin revoke <serial hex> [reason] [--ca name]   reasons: " + RevocationReason.accepted());
            return 2;
        }
        java.util.Optional<java.math.BigInteger> parsed = OperatorActions.parseSerial(rest.get(0));
        if (parsed.isEmpty()) {
            err.println("'" + org.est4j.jaxrs.ClientText.quote(rest.get(0), 64) + "' is not a serial number in hex (as openssl x509 -serial prints it)");
            return 2;
        }
        java.math.BigInteger serial = parsed.get();
        java.util.Optional<Integer> reason = rest.size() > 1 ? RevocationReason.parse(rest.get(1)) : java.util.Optional.of(0);
        if (reason.isEmpty()) {
            err.println("unknown reason '" + org.est4j.jaxrs.ClientText.quote(rest.get(1), 64) + "': " + RevocationReason.accepted());
            return 2;
        }
        OperatorActions.RevokeOutcome outcome = OperatorActions.revoke(store, caNames(config), java.util.Optional.ofNullable(caName), serial,
                reason.get(), "admin " + System.getProperty("user.name", "unknown"));
        if (outcome instanceof OperatorActions.Revoked r) {
            out.println((r.earlier() ? "already revoked " : "revoked ") + serial.toString(16) + " ("
                    + org.est4j.jaxrs.ClientText.quote(r.certificate().getSubjectX500Principal().getName()) + ", CA " + r.ca()
                    + ", reason " + RevocationReason.name(r.revocation().reason()) + ", " + r.revocation().time() + ")"
                    + (r.earlier() ? "" : ": the server refuses it from its next request on"));
            return 0;
        }
        err.println(outcome instanceof OperatorActions.Ambiguous a ? "serial " + serial.toString(16) + " was issued by " + a.cas().size()
                + " local CAs: name one with --ca" : "no local CA" + (caName == null ? "" : " named " + caName) + " in "
                + store.description() + " issued serial " + serial.toString(16));
        return 1;
    }

    /**
     * {@code rollover <ca> [--finish]}: on a stopped instance (the CA's issuance log must be free), so that no instance
     * keeps issuing with a key this command retires, and the next start picks up the new roots as trust anchors.
     */
    private static int rollover(String[] args, Path home, Est4jConfig config, StateStore store, PrintStream out, PrintStream err)
            throws IOException {
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        boolean finish = rest.remove("--finish");
        if (rest.size() != 1 || rest.get(0).startsWith("-")) {
            err.println("usage: est4j-admin rollover <ca> [--finish]");
            return 2;
        }
        String name = rest.get(0);
        org.est4j.war.config.CaSettings settings = config.cas().get(name);
        if (settings == null) {
            err.println("no local CA named '" + org.est4j.jaxrs.ClientText.quote(name, 40) + "' in " + Est4jConfig.FILE_NAME + " (local CAs: "
                    + String.join(", ", caNames(config)) + ")");
            return 1;
        }
        Path dir = home.resolve("ca").resolve(name);
        if (!java.nio.file.Files.exists(dir.resolve("ca.pem")) && !java.nio.file.Files.exists(dir.resolve("generations.properties"))) {
            err.println("local CA " + name + " does not exist yet in " + home + ": est4j creates it at its first start (or est4j-admin init)");
            return 1;
        }
        try {
            // the signature provider est4j.properties chooses, as the server signs with
            org.est4j.jaxrs.codec.SignatureProvider.use(org.est4j.jaxrs.codec.SignatureProvider.select(config.cryptoProvider()).provider());
            try (org.est4j.war.localca.LocalCa ca = org.est4j.war.localca.LocalCa.openOrCreate(dir, settings, home, store::openCa)) {
                org.est4j.war.localca.LocalCa.RolloverReport report = CaRollover.run(ca, store, home, config, finish,
                        "admin " + System.getProperty("user.name", "unknown"));
                out.println(report.summary());
                out.println("/cacerts answers " + report.caCertificates().size() + " certificate(s) from the next start on"
                        + (finish ? "" : "; copy " + dir + " to every other instance of this CA before starting it"));
                return 0;
            }
        } catch (org.est4j.war.localca.CaInUseException e) {
            err.println("est4j is running with local CA " + name + " (" + e.getMessage() + "): stop it first, then roll over, then start it");
            return 1;
        } catch (org.est4j.war.localca.LocalCa.RolloverRefusedException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private record Match(ApprovalQueue queue, String id) {
    }

    private static List<Match> find(List<ApprovalQueue> queues, String prefix) throws IOException {
        List<Match> matches = new ArrayList<>();
        if (prefix.length() < 6) {
            return matches;
        }
        for (ApprovalQueue queue : queues) {
            for (ApprovalQueue.Entry e : queue.list()) {
                if (e.id().startsWith(prefix) && e.state() == ApprovalQueue.State.PENDING) {
                    matches.add(new Match(queue, e.id()));
                }
            }
        }
        return matches;
    }

    /** The local CAs of the configuration, sorted by name. */
    private static List<String> caNames(Est4jConfig config) {
        return new java.util.TreeSet<>(config.cas().keySet()).stream().toList();
    }
}
