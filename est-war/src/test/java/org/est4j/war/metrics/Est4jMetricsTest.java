package org.est4j.war.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.junit.jupiter.api.Test;

/** The scrape as Prometheus reads it, parsed by {@link PrometheusText}: names, labels, and counts that go up. */
class Est4jMetricsTest {

    @Test
    void requestsByOperationLabelAndStatusClassWithBuckets() {
        Est4jMetrics metrics = new Est4jMetrics(Set.of("iot"));
        metrics.requestCompleted("simpleenroll", Optional.of("iot"), 200, 3_000_000);
        metrics.requestCompleted("simpleenroll", Optional.of("iot"), 200, 40_000_000);
        metrics.requestCompleted("simpleenroll", Optional.of("made-up-by-a-client"), 401, 1_000_000);
        Map<String, Double> s = PrometheusText.samples(metrics.scrape());
        assertEquals(2.0, s.get("est4j_requests_seconds_count{label=\"iot\",operation=\"simpleenroll\",outcome=\"2xx\"}"), s.toString());
        assertEquals(1.0, s.get("est4j_requests_seconds_bucket{label=\"iot\",le=\"0.005\",operation=\"simpleenroll\",outcome=\"2xx\"}"));
        assertEquals(2.0, s.get("est4j_requests_seconds_bucket{label=\"iot\",le=\"0.05\",operation=\"simpleenroll\",outcome=\"2xx\"}"));
        assertEquals(0.043, s.get("est4j_requests_seconds_sum{label=\"iot\",operation=\"simpleenroll\",outcome=\"2xx\"}"), 1e-9);
        assertEquals(1.0, s.get("est4j_requests_seconds_count{label=\"unknown\",operation=\"simpleenroll\",outcome=\"4xx\"}"));
        assertFalse(s.keySet().stream().anyMatch(k -> k.contains("made-up")), "a client's label never becomes a metric label");
    }

    @Test
    void decisionsFailuresAndErrorsCountUp() {
        Est4jMetrics metrics = new Est4jMetrics(Set.of());
        metrics.decided(Decision.onRequest(Decision.Outcome.ISSUED, "enroll", Optional.empty(), null, null, null, 200, null));
        metrics.decided(Decision.onRequest(Decision.Outcome.ISSUED, "enroll", Optional.empty(), null, null, null, 200, null));
        metrics.decided(Decision.onRequest(Decision.Outcome.REFUSED, "enroll", Optional.empty(), null, null, null, 403, "no"));
        metrics.decided(Decision.administrative(Decision.Outcome.REVOKED, "revoke", "default", Optional.of("op"),
                Optional.of(BigInteger.TEN), "keyCompromise", Optional.empty()));
        metrics.authenticationFailed("basic", "192.0.2.1");
        metrics.authenticationFailed("basic", "192.0.2.1");
        metrics.authenticationFailed("something-odd", "192.0.2.1");
        metrics.throttled("192.0.2.1");
        metrics.backendError(EstEvents.Backend.STORE, "authentication");
        Map<String, Double> s = PrometheusText.samples(metrics.scrape());
        assertEquals(2.0, s.get("est4j_certificates_issued_total{label=\"\",operation=\"enroll\"}"), s.toString());
        assertEquals(1.0, s.get("est4j_decisions_total{label=\"\",outcome=\"refused\"}"));
        assertEquals(1.0, s.get("est4j_certificates_revoked_total{ca=\"default\"}"));
        assertEquals(2.0, s.get("est4j_authentication_failures_total{scheme=\"basic\"}"));
        assertEquals(1.0, s.get("est4j_authentication_failures_total{scheme=\"other\"}"));
        assertEquals(1.0, s.get("est4j_authentication_throttled_total{}"));
        assertEquals(1.0, s.get("est4j_backend_errors_total{backend=\"store\"}"));
    }

    @Test
    void gaugesAreReadOncePerPeriodAndAFailureIsAStoreError() {
        Est4jMetrics metrics = new Est4jMetrics(Set.of());
        AtomicInteger reads = new AtomicInteger();
        metrics.caGauge("est4j.pending.requests", "pending", null, "default",
                new CachedReading(() -> reads.incrementAndGet() * 10, 3600, () -> { }));
        metrics.caGauge("est4j.pending.requests", "pending", null, "broken",
                new CachedReading(() -> {
                    throw new IOException("database down");
                }, 3600, () -> metrics.backendError(EstEvents.Backend.STORE, "metrics")));
        long thisUpdate = System.currentTimeMillis() / 1000 - 120;
        metrics.crlAgeGauge("default", new CachedReading(() -> thisUpdate, 3600, () -> { }));
        System.gc(); // the registry must hold the readings itself (Micrometer's gauges hold weak references by default)
        Map<String, Double> first = PrometheusText.samples(metrics.scrape());
        Map<String, Double> second = PrometheusText.samples(metrics.scrape());
        assertEquals(10.0, first.get("est4j_pending_requests{ca=\"default\"}"), first.toString());
        assertEquals(10.0, second.get("est4j_pending_requests{ca=\"default\"}"), "cached, not read again");
        assertEquals(1, reads.get());
        assertTrue(Double.isNaN(first.get("est4j_pending_requests{ca=\"broken\"}")));
        assertEquals(1.0, second.get("est4j_backend_errors_total{backend=\"store\"}"));
        double age = second.get("est4j_crl_age_seconds{ca=\"default\"}");
        assertTrue(age >= 120 && age < 130, "age " + age);
    }
}
