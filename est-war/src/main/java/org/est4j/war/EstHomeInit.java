package org.est4j.war;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;

/**
 * Prepares the data directory exactly as the WAR does on its first start: {@code java -jar est4j-admin.jar init}
 * (est-admin) and the {@code -P init} / {@code -P run} builds of est-war both run {@link #run}. Run it before the
 * container starts for the first time: the HTTPS connector needs {@code tls-server.pem}, {@code tls-server-key.pem}
 * and {@code client-truststore.p12} to exist.
 */
public final class EstHomeInit {

    private EstHomeInit() {
    }

    /** The {@code -P init} entry point: {@link EstHome#location()}; exits only on failure (it runs inside Maven). */
    public static void main(String[] args) throws IOException {
        int status = run(EstHome.location(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Creates what {@code dir} lacks (nothing if it is complete) and prints where everything is.
     *
     * @return 0 done, 2 for an invalid {@code est4j.properties} (the message, naming the key, goes to {@code err})
     */
    public static int run(Path dir, PrintStream out, PrintStream err) throws IOException {
        try (EstHome home = EstHome.open(dir)) {
            out.println("est4j data directory:       " + home.directory());
            out.println("  CA certificate (clients): " + dir.resolve("ca.pem"));
            out.println("  HTTPS certificate / key:  " + dir.resolve("tls-server.pem") + ", " + dir.resolve("tls-server-key.pem"));
            out.println("  client trust store:       " + dir.resolve("client-truststore.p12"));
            out.println("  initial credentials:      " + dir.resolve("initial-credentials") + " (user:password, mode 0600)");
            out.println("  configuration:            " + dir.resolve(Est4jConfig.FILE_NAME));
            return 0;
        } catch (ConfigException e) {
            err.println("est4j: " + e.getMessage());
            return 2;
        }
    }
}
