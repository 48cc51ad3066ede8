package org.est4j.war;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.est4j.war.audit.AuditLog;
import org.est4j.war.config.Est4jConfig;
import org.est4j.war.localca.LocalCa;
import org.est4j.war.store.StateStore;

/**
 * A local CA key rollover (RFC 7030 section 4.1.3) and the end of its overlap, with what goes with them besides the CA's
 * own files: the shared store learns the new key generation (other instances holding the old one then refuse to
 * start), {@code EST_HOME/ca.pem} gains the new root for clients that read it, {@code client-truststore.p12} (which the
 * TLS connector reads at its start) trusts the roots in use, and the audit trail records who did it.
 * Behind {@code est4j-admin rollover} ({@link Admin}, on a stopped instance) and usable in-process by a running one
 * ({@link Est4jRuntime#rollover}).
 */
public final class CaRollover {

    private CaRollover() {
    }

    /**
     * Rolls {@code ca} over, or with {@code finish} ends its overlap; {@code by} is who asked, for the audit trail.
     *
     * @throws LocalCa.RolloverRefusedException when the CA refuses (an overlap not ended)
     */
    public static LocalCa.RolloverReport run(LocalCa ca, StateStore store, Path home, Est4jConfig config, boolean finish, String by)
            throws IOException {
        List<X509Certificate> before = ca.roots();
        LocalCa.RolloverReport report = finish ? ca.finishRollover() : ca.rollover();
        if (!finish) {
            store.recordCaGeneration(ca.name(), ca.certificate(), ca.generation());
            if (ca.name().equals(Est4jConfig.DEFAULT_CA)) {
                publishRoots(home, ca);
            }
        }
        if (config.trustAnchorFiles().isEmpty()) {
            updateTruststore(home.resolve("client-truststore.p12"), before, ca.roots());
        }
        AuditLog.rolledOver(finish ? "rollover-finish" : "rollover", ca.name(), by, report.summary());
        return report;
    }

    /**
     * Swaps the CA's roots in {@code client-truststore.p12} (when est4j makes it from the local CAs): the TLS connector
     * reads it when it starts, before est4j would rewrite it, so without this a certificate of the new key would
     * authenticate only from the second start on.
     */
    private static void updateTruststore(Path file, List<X509Certificate> before, List<X509Certificate> after) throws IOException {
        if (!Files.exists(file)) {
            return; // made at the next start
        }
        List<X509Certificate> anchors = new ArrayList<>(ClientTruststore.read(file));
        anchors.removeIf(a -> before.contains(a) && !after.contains(a));
        for (X509Certificate root : after) {
            if (!anchors.contains(root)) {
                anchors.add(root);
            }
        }
        ClientTruststore.write(file, anchors);
    }

    /**
     * Adds the default CA's roots missing from {@code EST_HOME/ca.pem} (the file clients are told to trust, {@code curl
     * --cacert}), after a rollover only: the HTTPS server certificate may still be one the old key signed, so the old
     * root stays in the file.
     */
    static void publishRoots(Path home, LocalCa ca) throws IOException {
        if (ca.generation() == 1) {
            return;
        }
        Path file = home.resolve("ca.pem");
        List<X509Certificate> certificates = new ArrayList<>(Files.exists(file) ? Pem.readCertificates(file) : List.of());
        boolean changed = false;
        for (X509Certificate root : ca.roots()) {
            if (!certificates.contains(root)) {
                certificates.add(root);
                changed = true;
            }
        }
        if (changed) {
            SecureFiles.write(file, Pem.certificates(certificates), SecureFiles.READABLE);
        }
    }
}
