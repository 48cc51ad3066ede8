package org.est4j.war;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.RecentlyVerifiedPasswords;
import org.est4j.jaxrs.auth.RevocationChecking;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.war.audit.AuditLog;
import org.est4j.war.audit.AuditTrail;
import org.est4j.war.audit.EventFanOut;
import org.est4j.war.config.CaSettings;
import org.est4j.war.metrics.CachedReading;
import org.est4j.war.metrics.Est4jMetrics;
import org.est4j.war.metrics.MetricsAccess;
import org.est4j.war.localca.LocalCa;

/**
 * The deployment's state, created once when the application starts: the data directory, its
 * configuration and local CAs, and the {@link EstEndpointConfig} the protocol layer injects. A bad
 * configuration fails the deployment with a message naming the key.
 */
@ApplicationScoped
public class Est4jRuntime {

    private static final System.Logger LOG = System.getLogger(Est4jRuntime.class.getName());

    /**
     * What a client is told to wait when the store or the CA key cannot be reached (503): a database failover or a
     * token's restart takes seconds, and a client retrying sooner only adds load.
     */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private EstHome home;
    private EstEvents events = EstEvents.NONE;
    private AuditTrail audit;
    private Metrics metrics;
    /** The CAs of {@code ca.<name>.type = cmp}, by name, opened at start so that a missing secret or key fails the deployment. */
    private java.util.Map<String, org.est4j.war.cmp.CmpUpstream> cmpUpstreams = java.util.Map.of();
    private org.est4j.war.console.ConsoleAccess console;

    /**
     * What {@code /metrics} serves and who may read it.
     *
     * @param registry the metrics
     * @param access   the bearer token and admin certificate of {@code metrics.*}
     */
    public record Metrics(Est4jMetrics registry, MetricsAccess access) {
    }

    @PostConstruct
    void start() {
        try {
            home = EstHome.open(EstHome.location());
        } catch (IOException e) {
            throw new UncheckedIOException("est4j cannot open its data directory " + EstHome.location(), e);
        }
        LOG.log(Level.INFO, "est4j started: data directory {0}, local CAs {1}, labels {2}, {3} client trust anchor(s), {4} user(s)",
                home.directory(), home.localCas().keySet(), home.config().labels().keySet(),
                home.clientTrustAnchors().size(), home.users().size());
        LOG.log(Level.INFO, "est4j crypto provider: {0}", home.crypto().description());
        LOG.log(Level.INFO, "est4j store: {0}", home.store().description());
        LOG.log(Level.INFO, "est4j client certificate revocation checking: {0}", home.revocationChecking().describe());
        startEvents();
        openCmpUpstreams();
        startConsole();
    }

    private void openCmpUpstreams() {
        java.util.Map<String, org.est4j.war.cmp.CmpUpstream> opened = new java.util.LinkedHashMap<>();
        for (org.est4j.war.config.CmpSettings settings : home.config().cmpCas().values()) {
            try {
                opened.put(settings.name(), org.est4j.war.cmp.CmpUpstream.open(settings, home.directory()));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new org.est4j.war.config.ConfigException("CMP CA '" + settings.name() + "' (ca." + settings.name()
                        + ".cmp.*): " + e.getMessage(), e);
            }
            LOG.log(Level.INFO, "est4j CMP CA {0}: {1}, {2} protection", settings.name(), settings.url(),
                    settings.protection().name().toLowerCase(java.util.Locale.ROOT));
        }
        cmpUpstreams = java.util.Map.copyOf(opened);
    }

    /** The CMP CA serving {@code label} ({@code ca.<name>.type = cmp}); empty for a local CA or an unknown label. */
    public Optional<org.est4j.war.cmp.CmpUpstream> cmpUpstream(Optional<String> label) {
        String name = home.config().caFor(label);
        return name == null ? Optional.empty() : Optional.ofNullable(cmpUpstreams.get(name));
    }

    /** The operator console's access control, as {@code console.*} configures it; nothing while it is off. */
    private void startConsole() {
        org.est4j.war.config.ConsoleSettings settings = home.config().console();
        if (!settings.enabled()) {
            LOG.log(Level.INFO, "est4j operator console: off (/console/ answers 404; see console.role, console.client-subject)");
            return;
        }
        console = new org.est4j.war.console.ConsoleAccess(settings, new org.est4j.war.access.AdminCertificate(settings.clientSubject(),
                new ClientCertificateValidator(home.clientTrustAnchors(), home.revocationChecking())));
        LOG.log(Level.INFO, "est4j operator console: served at /console/ to {0}{1}{2}",
                settings.role().map(r -> "container users in role " + r).orElse(""), settings.role().isPresent()
                        && settings.clientSubject().isPresent() ? " and " : "",
                settings.clientSubject().map(s -> "the client certificate " + s.getName()).orElse(""));
    }

    /** The operator console's access control; empty while the console is off. */
    public Optional<org.est4j.war.console.ConsoleAccess> console() {
        return Optional.ofNullable(console);
    }

    /** The metrics and the audit trail, as {@code metrics.*} and {@code audit*} configure them. */
    private void startEvents() {
        java.util.List<EstEvents> listeners = new java.util.ArrayList<>();
        if (home.config().metrics().enabled()) {
            Est4jMetrics registry = new Est4jMetrics(home.config().labels().keySet());
            long refresh = home.config().metrics().refreshSeconds();
            Runnable storeError = () -> registry.backendError(EstEvents.Backend.STORE, "metrics");
            for (LocalCa ca : home.localCas().values()) {
                registry.caGauge("est4j.pending.requests", "Requests waiting for an administrator's decision", null, ca.name(),
                        new CachedReading(() -> ca.approvals().list().stream()
                                .filter(e -> e.state() == org.est4j.war.localca.ApprovalQueue.State.PENDING).count(), refresh, storeError));
                registry.crlAgeGauge(ca.name(), new CachedReading(() -> ca.crl().getThisUpdate().getTime() / 1000.0, refresh,
                        () -> registry.backendError(EstEvents.Backend.CA, "crl")));
            }
            metrics = new Metrics(registry, MetricsAccess.of(home.directory(), home.config().metrics(),
                    new ClientCertificateValidator(home.clientTrustAnchors(), home.revocationChecking())));
            listeners.add(registry);
            LOG.log(Level.INFO, "est4j metrics: served at /metrics to {0}", describe(home.config().metrics()));
        } else {
            LOG.log(Level.INFO, "est4j metrics: off (/metrics answers 404; see metrics.token-file)");
        }
        if (home.config().audit().enabled()) {
            try {
                audit = AuditTrail.open(home.directory(), home.config().audit());
            } catch (IOException e) {
                throw new UncheckedIOException("est4j cannot open its audit trail " + home.config().audit().file(), e);
            }
            listeners.add(audit);
            LOG.log(Level.INFO, "est4j audit trail: {0}", audit.path());
        } else {
            LOG.log(Level.WARNING, "est4j audit trail: off (audit = off)");
        }
        events = EventFanOut.of(listeners);
        AuditLog.install(events);
    }

    private static String describe(org.est4j.war.config.MetricsSettings settings) {
        return (settings.tokenFile().isPresent() ? "the bearer token of " + settings.tokenFile().get() : "")
                + (settings.tokenFile().isPresent() && settings.clientSubject().isPresent() ? " and " : "")
                + settings.clientSubject().map(s -> "the client certificate " + s.getName()).orElse("");
    }

    /** {@code /metrics}'s registry and access control; empty while metrics are off. */
    public Optional<Metrics> metrics() {
        return Optional.ofNullable(metrics);
    }

    /** Creates the runtime when the application starts rather than on the first request. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        home.directory(); // touching the bean is enough
    }

    @PreDestroy
    void stop() {
        AuditLog.uninstall(events);
        if (audit != null) {
            try {
                audit.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing the audit trail failed", e);
            }
        }
        try {
            home.close(); // releases the issuance-log locks for a redeployment
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the local CAs failed", e);
        }
    }

    @Produces
    @Singleton
    EstEndpointConfig endpointConfig() {
        RevocationChecking revocation = home.revocationChecking();
        return new EstEndpointConfig(home.config().maxRequestBytes(), home.config().basicRealm(),
                new ClientCertificateValidator(home.clientTrustAnchors(), revocation),
                new RecentlyVerifiedPasswords(new HashedCredentialStore(home.users()),
                        Duration.ofSeconds(home.config().httpAuth().passwordCacheSeconds()), Clock.systemUTC()),
                home.config().policies(), ProtocolKeys.keyEncryptionKeys(home.directory(), home.config().keygen()),
                ProtocolKeys.signer(home.directory(), home.config().signer()),
                new ClientCertificateValidator(ProtocolKeys.raTrustAnchors(home.directory(), home.config().raTrustAnchorFiles()), revocation),
                HttpAuthSetup.load(home.directory(), home.config(), home.store().oneTimePasswords()), events);
    }

    /** The local CA serving {@code label} (the default CA without a label); empty for an unknown label. */
    public Optional<LocalCa> localCa(Optional<String> label) {
        String name = home.config().caFor(label);
        return name == null ? Optional.empty() : Optional.ofNullable(home.localCas().get(name));
    }

    /** Whether {@code label} names a CA of this deployment (the default CA without a label), by the same rule as {@link #localCa}. */
    public boolean knowsLabel(Optional<String> label) {
        return home.config().caFor(label) != null;
    }

    /** Where the deployment keeps what it must not lose. */
    public org.est4j.war.store.StateStore store() {
        return home.store();
    }

    /** The data directory ({@code EST_HOME}). */
    public java.nio.file.Path directory() {
        return home.directory();
    }

    /** Every local CA of this deployment. */
    public java.util.Collection<LocalCa> localCas() {
        return home.localCas().values();
    }

    /**
     * Rolls the key of local CA {@code caName} over in this running instance, or with {@code finish} ends the overlap
     * (docs/rollover.md); {@code by} names the operator for the audit trail. Issuance switches to the new key at once and
     * {@code /cacerts} answers the rollover certificates; the TLS client trust anchors gain the new root at the next
     * start ({@code client-truststore.p12} is updated now, but the connector reads it only when it starts), until which
     * certificates of the new key do not authenticate TLS clients.
     *
     * @throws IllegalArgumentException                  for a name that is no local CA of this deployment
     * @throws LocalCa.RolloverRefusedException when the CA refuses (an overlap not ended)
     */
    public LocalCa.RolloverReport rollover(String caName, boolean finish, String by) throws IOException {
        LocalCa ca = home.localCas().get(caName);
        if (ca == null) {
            throw new IllegalArgumentException("no local CA named " + caName);
        }
        return CaRollover.run(ca, home.store(), home.directory(), home.config(), finish, by);
    }

    public CaSettings caSettings(String caName) {
        return home.config().cas().get(caName);
    }
}
