package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's metrics and audit trail on a real Tomcat: an enrollment and a refusal, then {@code /metrics} scraped with
 * the configured bearer token (and refused without it), and the audit file read with Jackson.
 */
class MetricsAuditTest extends OwnConfigurationScenarios {

    private static final String TOKEN = "it-metrics-token-0123456789abcdef0123456789";
    private static final String AUDIT_FILE = "audit/metrics-audit-test.log";

    @Deployment(testable = false)
    static WebArchive est4jWithMetrics() throws Exception {
        Path home = Path.of(System.getProperty("est.home"));
        Files.writeString(home.resolve("metrics-it.token"), TOKEN + "\n");
        Files.deleteIfExists(home.resolve(AUDIT_FILE));
        EstHomeConfig.append("MetricsAuditTest", """
                metrics.token-file = metrics-it.token
                audit.file = %s
                """.formatted(AUDIT_FILE));
        return EstTarget.rootWar();
    }

    @Test
    void enrollmentAndRefusalShowInTheMetricsAndTheAuditTrail() throws Exception {
        EstHttp est = new EstHttp(target.estBase(), Pki.tls(target.ca(), null));
        EstHttp.Reply issued = est.basic(target.user(), target.password())
                .postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=metrics-audit-device").getEncoded());
        assertEquals(200, issued.status(), issued::toString);
        EstHttp.Reply refused = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), "not-the-password")
                .postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=metrics-audit-refused").getEncoded());
        assertEquals(401, refused.status(), refused::toString);

        assertEquals(401, scrape(null).statusCode());
        // closed by default: without console.role or console.client-subject the operator console is not there
        HttpResponse<String> console = HttpClient.newBuilder().sslContext(Pki.tls(target.ca(), null)).build().send(
                HttpRequest.newBuilder(target.estBase().resolve("/console/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, console.statusCode(), console.body());
        HttpResponse<String> wrong = scrape("Bearer " + TOKEN.substring(1));
        assertEquals(403, wrong.statusCode());
        assertFalse(wrong.body().contains("est4j_"), wrong.body());
        HttpResponse<String> metrics = scrape("Bearer " + TOKEN);
        assertEquals(200, metrics.statusCode(), metrics.body());
        String contentType = metrics.headers().firstValue("Content-Type").orElse("").replace(" ", "");
        assertTrue(contentType.startsWith("text/plain;") && contentType.contains("version=0.0.4"), contentType);
        String text = metrics.body();
        assertTrue(sample(text, "est4j_certificates_issued_total{label=\"\",operation=\"enroll\"}") >= 1, text);
        assertTrue(sample(text, "est4j_requests_seconds_count{label=\"\",operation=\"simpleenroll\",outcome=\"2xx\"}") >= 1, text);
        assertTrue(sample(text, "est4j_requests_seconds_count{label=\"\",operation=\"simpleenroll\",outcome=\"4xx\"}") >= 1, text);
        assertTrue(sample(text, "est4j_authentication_failures_total{scheme=\"basic\"}") >= 1, text);
        assertTrue(sample(text, "est4j_decisions_total{label=\"\",outcome=\"refused\"}") >= 1, text);
        assertTrue(sample(text, "est4j_pending_requests{ca=\"default\"}") >= 0, text);
        double crlAge = sample(text, "est4j_crl_age_seconds{ca=\"default\"}");
        assertTrue(crlAge >= 0 && crlAge < 7 * 24 * 3600, text);

        // a later scrape counts the enrollment made since
        double before = sample(text, "est4j_certificates_issued_total{label=\"\",operation=\"enroll\"}");
        assertEquals(200, est.postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=metrics-audit-second").getEncoded()).status());
        assertEquals(before + 1, sample(scrape("Bearer " + TOKEN).body(), "est4j_certificates_issued_total{label=\"\",operation=\"enroll\"}"));

        Path audit = target.estHome().resolve(AUDIT_FILE);
        String content = Files.readString(audit, StandardCharsets.UTF_8);
        assertFalse(content.contains(target.password()), "no password in the audit trail");
        assertFalse(content.contains("not-the-password"), "no password in the audit trail, not even a wrong one");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : content.split("\n")) {
            records.add(json.readTree(line));
        }
        JsonNode issuedRecord = records.stream().filter(r -> r.path("requested_subject").asText().equals("CN=metrics-audit-device"))
                .findFirst().orElseThrow(() -> new AssertionError(content));
        assertEquals("issued", issuedRecord.get("event").asText());
        assertEquals("enroll", issuedRecord.get("operation").asText());
        assertEquals(target.user(), issuedRecord.get("client_user").asText());
        assertEquals("http-basic", issuedRecord.get("authenticated_by").get(0).asText());
        assertEquals("EC-256", issuedRecord.get("key_type").asText());
        assertEquals(200, issuedRecord.get("status").asInt());
        assertTrue(issuedRecord.get("serial").asText().matches("[0-9a-f]+"), issuedRecord::toString);
        assertTrue(issuedRecord.get("request_id").asText().matches("[0-9a-f]{12}"), issuedRecord::toString);
        assertFalse(issuedRecord.get("peer_address").asText().isEmpty());
        JsonNode refusedRecord = records.stream().filter(r -> r.path("event").asText().equals("refused")).findFirst()
                .orElseThrow(() -> new AssertionError(content));
        assertEquals(401, refusedRecord.get("status").asInt());
        assertEquals("wrong user name or password", refusedRecord.get("reason").asText());
        assertEquals(target.user(), refusedRecord.get("unverified_user").asText(), "who tried, marked unverified");
        assertFalse(refusedRecord.has("client_user") || refusedRecord.has("authenticated_by"), refusedRecord::toString);
    }

    /** GET /metrics over HTTPS with this Authorization header (or none). */
    private HttpResponse<String> scrape(String authorization) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Pki.tls(target.ca(), null)).connectTimeout(Duration.ofSeconds(20)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(target.estBase().resolve("/metrics")).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample line that starts with {@code series} (name and labels exactly as Micrometer writes them). */
    private static double sample(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }
}
