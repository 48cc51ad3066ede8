package org.est4j.war;

import java.nio.file.Path;

import org.est4j.war.config.ConfigException;

/**
 * {@code java org.est4j.war.EstHomeInit}: prepares the data directory exactly as the WAR does on
 * its first start. Run it before the container starts for the first time: the HTTPS connector needs
 * {@code tls-server.pem}, {@code tls-server-key.pem} and {@code client-truststore.p12} to exist.
 */
public final class EstHomeInit {

    private EstHomeInit() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = EstHome.location();
        try (EstHome home = EstHome.open(dir)) {
            System.out.println("est4j data directory:       " + home.directory());
            System.out.println("  CA certificate (clients): " + dir.resolve("ca.pem"));
            System.out.println("  HTTPS certificate / key:  " + dir.resolve("tls-server.pem") + ", " + dir.resolve("tls-server-key.pem"));
            System.out.println("  client trust store:       " + dir.resolve("client-truststore.p12"));
            System.out.println("  initial credentials:      " + dir.resolve("initial-credentials") + " (user:password, mode 0600)");
            System.out.println("  configuration:            " + dir.resolve(org.est4j.war.config.Est4jConfig.FILE_NAME));
        } catch (ConfigException e) {
            System.err.println("est4j: " + e.getMessage());
            System.exit(2);
        }
    }
}
