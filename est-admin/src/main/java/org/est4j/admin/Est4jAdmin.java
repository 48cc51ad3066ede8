package org.est4j.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.est4j.war.Admin;
import org.est4j.war.EstHome;
import org.est4j.war.EstHomeInit;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code java -jar est4j-admin.jar}: the operator's command line. {@code init} prepares a data directory as the WAR's
 * first start would ({@link EstHomeInit}); the other commands work on the store that directory's
 * {@code est4j.properties} names, through {@link Admin}, which holds their logic (this class only parses the command
 * line, so that the in-process {@code Admin.run} the tests use and this tool cannot drift apart).
 *
 * <p>Exit status: 0 done, 1 refused (nothing to act on, a store that cannot be reached, a data directory that does not
 * exist), 2 usage (a wrong argument, or an invalid {@code est4j.properties}). Results go to standard output, every
 * message to standard error.
 */
@Command(name = "est4j-admin", mixinStandardHelpOptions = true, versionProvider = Est4jAdmin.Version.class,
        description = "Administers an est4j data directory (EST_HOME) and the store its est4j.properties names "
                + "(files, or the shared PostgreSQL database with store = jdbc). Works while the servers run: "
                + "every instance sees a decision on the client's next request.",
        synopsisSubcommandLabel = "COMMAND",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (nothing to act on, store unavailable, no data directory)",
                "2:usage (wrong arguments, invalid est4j.properties)"},
        subcommands = CommandLine.HelpCommand.class)
public final class Est4jAdmin implements Callable<Integer> {

    /** Exit status of a command that was carried out. */
    public static final int DONE = 0;
    /** Exit status of a command that was understood but could not or would not be carried out. */
    public static final int REFUSED = 1;
    /** Exit status of a command line that is wrong. */
    public static final int USAGE = 2;

    // inherited: `est4j-admin list --home X` and `est4j-admin --home X list` both work
    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "the data directory (default: $EST_HOME, else -Dest.home, else ~/.est4j)")
    private Path home;

    private final PrintStream out;
    private final PrintStream err;

    private Est4jAdmin(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // EstHome reports what it creates through java.util.logging: one plain line each on standard error, not two
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%6$s%n");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns its exit status ({@link #DONE}, {@link #REFUSED}, {@link #USAGE}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Est4jAdmin admin = new Est4jAdmin(out, err);
        CommandLine cmd = new CommandLine(admin);
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cmd.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? USAGE : REFUSED);
        cmd.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof ConfigException) {
                // the message names the file and the key
                command.getErr().println("est4j-admin: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalStateException) {
                // a store that cannot be reached, a CA that is busy, a damaged file: the message says which
                command.getErr().println("est4j-admin: " + e.getMessage());
                return REFUSED;
            }
            if (e instanceof RuntimeException) {
                // e.g. a library's refusal of a JDBC URL: one line for the operator, not a stack trace
                command.getErr().println("est4j-admin: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                return REFUSED;
            }
            throw e;
        });
        return cmd.execute(args);
    }

    /** Without a command: the usage, as for any other wrong command line. */
    @Override
    public Integer call() {
        err.println("est4j-admin: a command is missing");
        new CommandLine(this).usage(err);
        return USAGE;
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Prepares the data directory (local CA, HTTPS certificate and key, client trust "
            + "store, initial credentials, est4j.properties) as the server's first start would; leaves what exists. Run it "
            + "before the container's first start: its HTTPS connector needs these files.")
    int init() throws IOException {
        return EstHomeInit.run(home(), out, err);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every waiting or rejected request, with the client (UNVERIFIED parts marked) "
            + "and what it asks for.")
    int list() throws IOException {
        return admin("list");
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a waiting request: the client's next repetition gets its certificate.")
    int approve(@Parameters(index = "0", paramLabel = "ID", description = "the id `list` shows, or a unique prefix of 6+ digits") String id,
                @Parameters(index = "1..*", arity = "0..*", paramLabel = "NOTE", description = "why (recorded with the decision)") List<String> note)
            throws IOException {
        return admin(withNote("approve", id, note));
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Rejects a waiting request: the client's repetitions get 403.")
    int reject(@Parameters(index = "0", paramLabel = "ID", description = "the id `list` shows, or a unique prefix of 6+ digits") String id,
               @Parameters(index = "1..*", arity = "0..*", paramLabel = "NOTE", description = "why (recorded with the decision)") List<String> note)
            throws IOException {
        return admin(withNote("reject", id, note));
    }

    @Command(name = "add-otp", mixinStandardHelpOptions = true, description = "Creates one-time passwords (RFC 7030 section 3.2.3, user name \"\"), printed once "
            + "on standard output and stored only as digests.")
    int addOtp(@Parameters(index = "0", arity = "0..1", paramLabel = "COUNT", defaultValue = "1", description = "how many, 1 to 10000 (default 1)")
               String count) throws IOException {
        return admin("add-otp", count);
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a certificate of a local CA; the servers refuse it from their next request on.")
    int revoke(@Parameters(index = "0", paramLabel = "SERIAL", description = "the serial number in hex, as openssl x509 -serial prints it")
               String serial,
               @Parameters(index = "1", arity = "0..1", paramLabel = "REASON", description = "an RFC 5280 CRLReason name or code "
                       + "(unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, "
                       + "certificateHold, privilegeWithdrawn, aACompromise; default unspecified)") String reason,
               @Option(names = "--ca", paramLabel = "NAME", description = "the local CA, when several issued the serial") String ca)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("revoke", serial));
        if (reason != null) {
            args.add(reason);
        }
        if (ca != null) {
            args.addAll(List.of("--ca", ca));
        }
        return admin(args.toArray(String[]::new));
    }

    @Command(name = "rollover", mixinStandardHelpOptions = true, description = "Rolls the key of a local CA over (RFC 7030 section 4.1.3): "
            + "a new key and root, and the link certificates NewWithOld and OldWithNew, which /cacerts serves with the new root "
            + "until the old root expires or --finish. Run it with est4j stopped (it refuses while an instance holds the CA); "
            + "see docs/rollover.md.")
    int rollover(@Parameters(index = "0", paramLabel = "CA", description = "the local CA's name (ca.<name>.* in est4j.properties)") String ca,
                 @Option(names = "--finish", description = "end the overlap instead: delete the old key and the link certificates") boolean finish)
            throws IOException {
        return finish ? admin("rollover", ca, "--finish") : admin("rollover", ca);
    }

    @Command(name = "migrate-store", mixinStandardHelpOptions = true, description = "Copies the file store of the data directory into the database that "
            + "est4j.properties names (store = jdbc): certificates, revocations, the last CRL number, queued requests, "
            + "one-time passwords, returns. Run it with every instance stopped; running it twice copies nothing twice.")
    int migrateStore() throws IOException {
        return admin("migrate-store");
    }

    private static String[] withNote(String command, String id, List<String> note) {
        List<String> args = new ArrayList<>(List.of(command, id));
        if (note != null) {
            args.addAll(note);
        }
        return args.toArray(String[]::new);
    }

    /** A store command on an existing data directory: a mistyped --home must not become a new, empty store. */
    private int admin(String... args) throws IOException {
        Path dir = home();
        if (!Files.isRegularFile(dir.resolve(Est4jConfig.FILE_NAME))) {
            err.println("est4j-admin: " + dir + " is not an est4j data directory (no " + Est4jConfig.FILE_NAME
                    + "): give --home, set EST_HOME, or prepare it with `est4j-admin init`");
            return REFUSED;
        }
        return Admin.run(args, dir, out, err);
    }

    private Path home() {
        return home != null ? home.toAbsolutePath().normalize() : EstHome.location();
    }

    /** {@code --version}: the Implementation-Version of the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Est4jAdmin.class.getPackage().getImplementationVersion();
            return new String[] {"est4j-admin " + (v != null ? v : "(not from a jar)")};
        }
    }
}
