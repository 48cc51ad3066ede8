package org.est4j.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Where the server under test is and what the client knows about it, from the system properties the surefire
 * execution sets (see integration-tests/pom.xml): {@code est.home} (the data directory EstHomeInit created and
 * the server runs on), {@code est.it.https.port}, {@code est.it.war}. Another container (WildFly) only has to
 * set the same properties.
 */
record EstTarget(String host, int httpsPort, Path estHome, X509Certificate ca, String user, String password) {

    static EstTarget fromSystemProperties() {
        Path home = Path.of(required("est.home"));
        try {
            X509Certificate ca = Pki.readCertificate(home.resolve("ca.pem"));
            // "est:<password>" on one line
            String line = Files.readString(home.resolve("initial-credentials"), StandardCharsets.UTF_8).strip();
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new IllegalStateException("initial-credentials is not 'user:password': " + home);
            }
            return new EstTarget("localhost", Integer.parseInt(required("est.it.https.port")), home, ca,
                    line.substring(0, colon), line.substring(colon + 1));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the EST home " + home, e);
        }
    }

    /**
     * The WAR built by est-war, as an archive named {@code ROOT.war}: the Tomcat adapter derives the context
     * path from the archive name, and {@code ROOT.war} is the root context, so the server answers at
     * {@code /.well-known/est/...} as in production.
     */
    static WebArchive rootWar() {
        File war = new File(required("est.it.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("the WAR under test is missing: " + war + " (build est-war first: mvn -B verify from the root)");
        }
        WebArchive archive = ShrinkWrap.createFromZipFile(WebArchive.class, war);
        if (!"ROOT.war".equals(archive.getName())) {
            throw new IllegalStateException("the deployment must be named ROOT.war to land at the root context, was " + archive.getName());
        }
        return archive;
    }

    /** {@code host:port}, as BouncyCastle's client and the README commands take it. */
    String authority() {
        return host + ":" + httpsPort;
    }

    URI estBase() {
        return URI.create("https://" + authority() + "/.well-known/est/");
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through Maven: mvn -B verify)");
        }
        return value;
    }
}
