package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * est4j.war in Tomcat 11 with the JSSE connector of est-war/src/main/tomcat/server.xml
 * ({@code certificateVerification="optional"} + the CA trust store), on the build JDK.
 */
class TomcatJsseTest extends EstScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return EstTarget.rootWar();
    }

    /**
     * The native provider in Tomcat's lib/ (put there by the build, as an administrator would) is the one
     * est4j signs and verifies with; every enrollment of this run went through it.
     */
    @Test
    void theNativeProviderOnTheContainersClassPathIsChosenAndReported() throws Exception {
        Path logs = Path.of(System.getProperty("est.it.tomcat.home"), "logs");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("catalina.")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> l.contains("est4j crypto provider:")).forEach(lines::add);
            }
        }
        assertFalse(lines.isEmpty(), "no start-up line about the crypto provider in " + logs);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("Amazon Corretto Crypto Provider 2.5") && last.contains("from the container's class path"), last);
    }

    /** JSSE checks the client certificate against its trust store during the handshake: no HTTP exchange happens. */
    @Test
    void selfSignedClientCertificateFailsTheTlsHandshake() throws Exception {
        assertSelfSignedClientCertificateFailsTheHandshake();
    }
}
