package org.est4j.war;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.est4j.war.localca.ApprovalQueue;

/**
 * The administrator's command for requests waiting for manual approval (RFC 7030 section 3.7 and
 * {@code ca.<name>.approval = manual}):
 * <pre>
 *   list                     every waiting or rejected request, with the client and what it asks for
 *   approve &lt;id&gt; [note]      the client's next repetition of the request is issued
 *   reject &lt;id&gt; [note]       the client's repetitions are refused with 403
 *   add-otp [count]          creates one-time passwords (RFC 7030 section 3.2.3, user name ""), printed once
 * </pre>
 * An id may be abbreviated to any unique prefix of 6 or more digits. It works on the data directory
 * ({@code EST_HOME}, as the WAR finds it) while the server runs: it only adds decision files to
 * {@code ca/<name>/pending/}, which the server reads on the client's next request.
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
            err.println("usage: Admin list | approve <id> [note] | reject <id> [note] | add-otp [count]   (data directory " + home + ")");
            return 2;
        }
        List<ApprovalQueue> queues = queues(home);
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
                out.println(n + " request(s) in " + home);
                return 0;
            }
            case "approve", "reject" -> {
                if (args.length < 2) {
                    err.println("usage: Admin " + args[0] + " <id> [note]");
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
                    if (args[0].equals("approve")) {
                        m.queue().approve(m.id(), by, note);
                    } else {
                        m.queue().reject(m.id(), by, note);
                    }
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
                    err.println("usage: Admin add-otp [count 1-10000]");
                    return 2;
                }
                String file = org.est4j.war.config.Est4jConfig.load(home.resolve(org.est4j.war.config.Est4jConfig.FILE_NAME))
                        .httpAuth().oneTimePasswordsFile();
                List<char[]> passwords = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    passwords.add(EstHome.randomPassword(20));
                }
                new OneTimePasswordFile(home.resolve(file)).add(passwords);
                // printed once, stored only as digests: hand them to the devices now
                passwords.forEach(p -> out.println(new String(p)));
                return 0;
            }
            default -> {
                err.println("unknown command '" + args[0] + "': list, approve, reject or add-otp");
                return 2;
            }
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

    private static List<ApprovalQueue> queues(Path home) throws IOException {
        List<ApprovalQueue> queues = new ArrayList<>();
        Path cas = home.resolve("ca");
        if (Files.isDirectory(cas)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(cas, Files::isDirectory)) {
                for (Path ca : dirs) {
                    queues.add(new ApprovalQueue(ca.resolve("pending")));
                }
            }
        }
        return queues;
    }
}
