package org.est4j.war.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;

/**
 * est4j's metrics in a Micrometer registry, scraped in Prometheus' text format by {@link MetricsServlet}. The names
 * and their labels are documented in {@code docs/configuration.md} (section "Metrics").
 *
 * <p>Every label takes values from a bounded set whatever clients send: a CA label not configured is counted as
 * {@code unknown}, an operation not known as {@code other}, so a client cannot make the registry grow.
 */
public final class Est4jMetrics implements EstEvents {

    /** Latency buckets: an enrollment with a software key takes milliseconds, one behind a busy HSM or database seconds. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final Set<String> SCHEMES = Set.of("basic", "digest", "otp", "tls");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> labels;

    /** @param labels the CA labels this deployment serves: the only label values the metrics show besides unknown */
    public Est4jMetrics(Set<String> labels) {
        this.labels = Set.copyOf(labels);
    }

    /**
     * A gauge per local CA of a value that {@code reading} produces (and caches).
     *
     * @param name Micrometer's name ({@code est4j.pending.requests}); dots become underscores in Prometheus
     * @param unit the base unit ({@code seconds}), appended to the Prometheus name; null for none
     */
    public void caGauge(String name, String description, String unit, String ca, CachedReading reading) {
        // strongly referenced: nothing else holds the reading, and Micrometer's default weak reference lets it be
        // collected, after which the gauge reads NaN
        Gauge.builder(name, reading, CachedReading::value).strongReference(true).description(description).baseUnit(unit)
                .tag("ca", ca).register(registry);
    }

    /** Per local CA: seconds since the thisUpdate that {@code thisUpdate} reads (epoch seconds, cached). */
    public void crlAgeGauge(String ca, CachedReading thisUpdate) {
        Gauge.builder("est4j.crl.age", thisUpdate, r -> System.currentTimeMillis() / 1000.0 - r.value())
                .strongReference(true).description("Seconds since the thisUpdate of the local CA's current CRL").baseUnit("seconds")
                .tag("ca", ca)
                .register(registry);
    }

    /** The metrics in Prometheus' text format (0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void requestCompleted(String operation, Optional<String> label, int status, long durationNanos) {
        Timer.builder("est4j.requests").description("EST requests by operation, CA label and status class")
                .tags("operation", operation, "label", label(label), "outcome", (status / 100) + "xx")
                .serviceLevelObjectives(BUCKETS).register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void decided(Decision decision) {
        Counter.builder("est4j.decisions").description("Decisions on certificates (docs/audit.md's events)")
                .tags("outcome", decision.outcome().text(), "label", label(decision.label())).register(registry).increment();
        switch (decision.outcome()) {
            case ISSUED, RENEWED -> Counter.builder("est4j.certificates.issued").description("Certificates issued")
                    .tags("operation", decision.operation(), "label", label(decision.label())).register(registry).increment();
            case REVOKED -> Counter.builder("est4j.certificates.revoked").description("Certificates revoked")
                    .tags("ca", decision.ca().orElse("unknown")).register(registry).increment();
            default -> {
                // counted by outcome above
            }
        }
    }

    @Override
    public void authenticationFailed(String scheme, String remoteAddress) {
        Counter.builder("est4j.authentication.failures").description("Credentials that did not authenticate, by scheme")
                .tag("scheme", SCHEMES.contains(scheme) ? scheme : "other").register(registry).increment();
    }

    @Override
    public void throttled(String remoteAddress) {
        Counter.builder("est4j.authentication.throttled").description("Requests refused with 429 after failed authentications")
                .register(registry).increment();
    }

    @Override
    public void backendError(Backend backend, String operation) {
        Counter.builder("est4j.backend.errors").description("CA and store failures (500) and unavailability (503)")
                .tag("backend", backend.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    /** The label as a metric label value: empty for the unlabelled path, {@code unknown} when not configured. */
    private String label(Optional<String> label) {
        return label.map(l -> labels.contains(l) ? l : "unknown").orElse("");
    }
}
