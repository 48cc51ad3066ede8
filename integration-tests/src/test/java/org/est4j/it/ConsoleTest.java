package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Issue 15's operator console on a real Tomcat, driven in Debian's headless chromium through chromedriver (Selenium):
 * requests queued by real EST clients (the JDK's HTTP client), approved, rejected and revoked on the page; the clients'
 * next polls, the CA's CRL read by {@code openssl crl}, the search, the escaping of a hostile subject, and the CSRF
 * defence checked from outside the browser. Screenshots go to {@code target/console-screenshots}.
 */
class ConsoleTest extends OwnConfigurationScenarios {

    /** Distinguishes this run's requests from those of earlier runs on the same data directory. */
    private static final String RUN = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4).putInt(new java.util.Random().nextInt()).array());
    private static final String OPERATOR = "console-operator";
    private static final String OPERATOR_PASSWORD = "console-pass-1";
    private static final String ADMIN_SUBJECT = "CN=console-admin-" + RUN;
    private static final String AUDIT_FILE = "audit/console-test.log";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private WebDriver browser;

    @Deployment(testable = false)
    static WebArchive est4jWithConsole() throws IOException {
        Path home = Path.of(System.getProperty("est.home"));
        Files.deleteIfExists(home.resolve(AUDIT_FILE));
        EstHomeConfig.append("ConsoleTest", """
                console.role = est-operator
                console.client-subject = %s
                audit.file = %s
                label.console-queue.ca = default
                label.console-queue.incomplete-auth = queue
                ca.console-manual.approval = manual
                ca.console-manual.retry-after-seconds = 5
                label.console-manual.ca = console-manual
                """.formatted(ADMIN_SUBJECT, AUDIT_FILE));
        return EstTarget.rootWar();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anyoneButAnOperatorIsTurnedAway() throws Exception {
        HttpResponse<String> anonymous = get(client(), "/console/", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm=\"est4j console\""));
        assertFalse(anonymous.body().contains("Pending"), anonymous.body());
        assertEquals(401, get(client(), "/console/", basic(OPERATOR, "wrong")).statusCode(), "a wrong password");
        HttpResponse<String> noRole = get(client(), "/console/", basic("realm-device", "realm-pass-1"));
        assertEquals(403, noRole.statusCode(), "a realm user without the role: " + noRole.body());
        assertEquals("text/plain;charset=UTF-8", noRole.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        // est4j's own EST user is nobody in the container's realm
        assertEquals(401, get(client(), "/console/", basic(target.user(), target.password())).statusCode());

        HttpResponse<String> page = get(client(), "/console/", basic(OPERATOR, OPERATOR_PASSWORD));
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("text/html;charset=UTF-8", page.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && csp.contains("style-src 'nonce-"), csp);
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElse("");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), cookie);
    }

    @Test
    void theAdminClientCertificateOpensTheConsoleAndAnotherDoesNot() throws Exception {
        KeyPair adminKeys = Pki.p256();
        X509Certificate admin = enroll(adminKeys, ADMIN_SUBJECT);
        KeyPair otherKeys = Pki.p256();
        X509Certificate other = enroll(otherKeys, "CN=console-not-admin-" + RUN);

        HttpResponse<String> page = get(client(Pki.clientKey(adminKeys.getPrivate(), admin)), "/console/", null);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("TLS client certificate") && page.body().contains(ADMIN_SUBJECT), "the operator and the proof shown");
        assertEquals(401, get(client(Pki.clientKey(otherKeys.getPrivate(), other)), "/console/", null).statusCode(),
                "another certificate is no operator's (the role may still log in)");
    }

    @Test
    void anOperatorApprovesRejectsRevokesAndSearchesInABrowser() throws Exception {
        // three requests wait: an unknown user's (approved below), a hostile-looking subject (rejected), a known user's
        KeyPair approvedKeys = Pki.p256();
        byte[] approvedCsr = Pki.csr(approvedKeys, "CN=console-approve-" + RUN, "approve-" + RUN + ".example").getEncoded();
        EstHttp stranger = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("factory-" + RUN, "pin-" + RUN);
        assertEquals(202, stranger.postCsr("console-queue/simpleenroll", approvedCsr).status());
        org.bouncycastle.pkcs.PKCS10CertificationRequest hostileRequest = Pki.csr(Pki.p256(), "CN=<script>alert(1)</script>x" + RUN);
        byte[] hostileCsr = hostileRequest.getEncoded();
        // as est4j shows a subject: RFC 2253, which puts a backslash before < and >
        String hostile = new javax.security.auth.x500.X500Principal(hostileRequest.getSubject().getEncoded()).getName();
        EstHttp intruder = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("intruder-" + RUN, "x");
        assertEquals(202, intruder.postCsr("console-queue/simpleenroll", hostileCsr).status());
        byte[] manualCsr = Pki.csr(Pki.p256(), "CN=console-manual-" + RUN).getEncoded();
        EstHttp device = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password());
        assertEquals(202, device.postCsr("console-manual/simpleenroll", manualCsr).status());

        browser = chromium();
        browser.get("https://" + OPERATOR + ":" + OPERATOR_PASSWORD + "@" + target.authority() + "/console/");
        assertEquals("est4j operator console", browser.getTitle(), browser::getPageSource);

        WebElement approve = request("CN=console-approve-" + RUN);
        String approveText = approve.getText();
        assertTrue(approveText.contains("not authenticated"), approveText);
        assertTrue(approveText.contains("presented: HTTP user factory-" + RUN), approveText);
        assertTrue(badge(approve, "Subject").equals("unverified"), approveText);
        assertTrue(badge(approve, "Subject alt. names").equals("unverified"), approveText);
        assertTrue(approveText.contains("DNS approve-" + RUN + ".example"), approveText);
        WebElement manual = request("CN=console-manual-" + RUN);
        assertTrue(manual.getText().contains("proven by http-basic"), manual.getText());
        assertEquals("unverified", badge(manual, "Subject"), "a password proves no subject");

        // the hostile subject is text: no script element anywhere, the characters shown as typed
        WebElement rejected = request(hostile);
        assertTrue(browser.findElements(By.tagName("script")).isEmpty(), "no script element on the page");
        assertTrue(hostile.contains("<script\\>alert(1)"), hostile);
        assertTrue(browser.getPageSource().contains(hostile.replace("<", "&lt;").replace(">", "&gt;")), "escaped in the markup");
        screenshot("1-pending");

        // approve: the client's next poll gets its certificate
        approve.findElement(By.name("note")).sendKeys("known factory line");
        submit(approve.findElement(By.cssSelector("button.ok")));
        assertTrue(flash().startsWith("Approved "), flash());
        EstHttp.Reply issued = stranger.postCsr("console-queue/simpleenroll", approvedCsr);
        assertEquals(200, issued.status(), issued::toString);
        X509Certificate certificate = Pki.certsOnly(issued.base64Body()).get(0);
        assertEquals("CN=console-approve-" + RUN, certificate.getSubjectX500Principal().getName());
        String serial = certificate.getSerialNumber().toString(16);

        // reject with a reason: the client's next poll is refused
        rejected = request(hostile);
        rejected.findElement(By.name("reason")).sendKeys("not one of our devices (Gerät ü)");
        submit(rejected.findElement(By.cssSelector("button.danger")));
        assertTrue(flash().startsWith("Rejected "), flash());
        EstHttp.Reply refused = intruder.postCsr("console-queue/simpleenroll", hostileCsr);
        assertEquals(403, refused.status(), refused::toString);
        assertTrue(refused.text().contains("rejected"), refused.text());

        // revoke by serial: the CA's next CRL lists it, as openssl reads it
        WebElement revoke = browser.findElement(By.id("revoke"));
        revoke.findElement(By.name("serial")).sendKeys(serial);
        revoke.findElement(By.cssSelector("select[name=reason] option[value=keyCompromise]")).click();
        submit(revoke.findElement(By.cssSelector("button.danger")));
        assertTrue(flash().startsWith("Revoked serial " + serial), flash());
        String crl = opensslCrl(fetch("/crl/default.crl"));
        // openssl prints the serial's octets: an even number of hex digits
        String octets = (serial.length() % 2 == 1 ? "0" : "") + serial.toUpperCase(Locale.ROOT);
        assertTrue(crl.contains("Serial Number: " + octets), "the CRL lists " + serial + ":\n" + crl);
        assertTrue(crl.contains("Key Compromise"), crl);

        // search by serial, then by subject
        search(Map.of("serial", serial));
        String bySerial = browser.findElement(By.cssSelector("table.found")).getText();
        assertTrue(bySerial.contains(serial) && bySerial.contains("CN=console-approve-" + RUN) && bySerial.contains("revoked"), bySerial);
        assertEquals(1, browser.findElements(By.cssSelector("table.found tbody tr")).size(), bySerial);
        search(Map.of("subject", "console-APPROVE-" + RUN));
        String bySubject = browser.findElement(By.cssSelector("table.found")).getText();
        assertTrue(bySubject.contains(serial), bySubject);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        search(Map.of("subject", RUN, "from", today, "to", today));
        assertTrue(browser.findElement(By.cssSelector("table.found")).getText().contains(serial));
        search(Map.of("subject", "console-approve-" + RUN, "to", "2001-01-01"));
        assertTrue(browser.findElements(By.cssSelector("table.found")).isEmpty(), "nothing was issued in 2001");

        // the CA certificates with their expiry
        String cas = browser.findElement(By.id("cas")).getText();
        assertTrue(cas.contains("default") && cas.contains("console-manual"), cas);
        browser.get("https://" + target.authority() + "/console/?search=1&subject=" + RUN);
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 1880)); // the whole page in one picture
        screenshot("2-after-actions");

        // every action in the audit trail, with the operator and how it was proven
        String actor = "console: " + OPERATOR + " (container role est-operator)";
        List<JsonNode> audit = auditRecords();
        assertTrue(audit.stream().anyMatch(r -> r.path("event").asText().equals("approved") && r.path("actor").asText().equals(actor)
                && r.path("reason").asText().equals("known factory line")), audit::toString);
        assertTrue(audit.stream().anyMatch(r -> r.path("event").asText().equals("rejected") && r.path("actor").asText().equals(actor)
                && r.path("reason").asText().equals("not one of our devices (Gerät ü)")), audit::toString);
        assertTrue(audit.stream().anyMatch(r -> r.path("event").asText().equals("revoked") && r.path("actor").asText().equals(actor)
                && r.path("serial").asText().equals(serial) && r.path("reason").asText().equals("keyCompromise")), audit::toString);
    }

    @Test
    void aPostWithoutTheTokenOrFromAnotherOriginChangesNothing() throws Exception {
        byte[] csr = Pki.csr(Pki.p256(), "CN=console-csrf-" + RUN).getEncoded();
        EstHttp device = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password());
        assertEquals(202, device.postCsr("console-manual/simpleenroll", csr).status());

        HttpClient session = client();
        String operator = basic(OPERATOR, OPERATOR_PASSWORD);
        HttpResponse<String> page = get(session, "/console/", operator);
        assertEquals(200, page.statusCode());
        String token = field(page.body(), "csrf");
        String id = idOf(page.body(), "CN=console-csrf-" + RUN);
        String origin = "https://" + target.authority();
        Map<String, String> approve = Map.of("ca", "console-manual", "id", id, "note", "csrf test");

        assertEquals(403, post(session, "/console/approve", operator, origin, approve).statusCode(), "no token");
        assertEquals(403, post(session, "/console/approve", operator, origin, with(approve, "csrf", token.substring(1) + "A")).statusCode(),
                "a wrong token");
        assertEquals(403, post(session, "/console/approve", operator, "https://evil.example", with(approve, "csrf", token)).statusCode(),
                "the right token from another origin");
        assertEquals(403, post(session, "/console/approve", operator, null, with(approve, "csrf", token)).statusCode(),
                "neither Origin nor Referer");
        assertEquals(403, post(client(), "/console/approve", operator, origin, with(approve, "csrf", token)).statusCode(),
                "the token without its session");
        assertEquals(404, get(session, "/console/approve?ca=console-manual&id=" + id + "&csrf=" + token, operator).statusCode(),
                "GET acts on nothing");
        assertEquals(202, device.postCsr("console-manual/simpleenroll", csr).status(), "still waiting: nothing was approved");

        // bad input: one line of text/plain, 400
        HttpResponse<String> badSerial = post(session, "/console/revoke", operator, origin, Map.of("csrf", token, "serial", "xyz<b>",
                "reason", "keyCompromise", "ca", ""));
        assertEquals(400, badSerial.statusCode(), badSerial.body());
        assertTrue(badSerial.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(1, badSerial.body().strip().lines().count(), badSerial.body());
        HttpResponse<String> badReason = post(session, "/console/revoke", operator, origin, Map.of("csrf", token, "serial", "1f",
                "reason", "removeFromCRL", "ca", ""));
        assertEquals(400, badReason.statusCode(), badReason.body());
        assertEquals(400, post(session, "/console/reject", operator, origin, Map.of("csrf", token, "ca", "console-manual", "id", id,
                "reason", "")).statusCode(), "a rejection needs a reason");
        assertEquals(400, get(session, "/console/?search=1&serial=zz", operator).statusCode());

        // the same request with everything right: approved, so the refusals above were the defence, not a broken action
        HttpResponse<String> done = post(session, "/console/approve", operator, origin, with(approve, "csrf", token));
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(200, device.postCsr("console-manual/simpleenroll", csr).status());
    }

    // ---- the browser -------------------------------------------------------------------------------------------

    private static WebDriver chromium() {
        String binary = System.getProperty("est.it.chromium", "/usr/bin/chromium");
        String driverBinary = System.getProperty("est.it.chromedriver", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(binary)) || !Files.isExecutable(Path.of(driverBinary))) {
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("chromium or chromedriver is missing: .ci/run installs chromium and chromium-driver");
            }
            org.junit.jupiter.api.Assumptions.abort("chromium or chromedriver is missing (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        // the test's CA is not the system's; --no-sandbox: CI runs as root in a container
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1360,1700",
                "--ignore-certificate-errors", "--lang=en-US");
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File(driverBinary))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** The article of the queued request whose subject is {@code subject}. */
    private WebElement request(String subject) {
        return browser.findElements(By.cssSelector("article.request")).stream().filter(a -> a.getText().contains(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no request " + subject + " on the page:\n" + browser.findElement(By.id("pending")).getText()));
    }

    /** The badge in front of the value of row {@code name} of {@code article}, or "". */
    private static String badge(WebElement article, String name) {
        List<WebElement> terms = article.findElements(By.tagName("dt"));
        List<WebElement> values = article.findElements(By.tagName("dd"));
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).getText().equals(name)) {
                List<WebElement> badges = values.get(i).findElements(By.cssSelector(".badge"));
                return badges.isEmpty() ? "" : badges.get(0).getText();
            }
        }
        throw new AssertionError("no row " + name + " in " + article.getText());
    }

    private String flash() {
        return browser.findElement(By.cssSelector(".flash")).getText();
    }

    private void search(Map<String, String> fields) throws InterruptedException {
        WebElement form = browser.findElement(By.cssSelector("#search form"));
        for (String name : List.of("subject", "serial")) {
            form.findElement(By.name(name)).clear();
        }
        // date inputs take the day through the page (the browser's locale decides how typing works)
        for (String name : List.of("from", "to")) {
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]",
                    form.findElement(By.name(name)), fields.getOrDefault(name, ""));
        }
        fields.forEach((name, value) -> {
            if (!name.equals("from") && !name.equals("to")) {
                form.findElement(By.name(name)).sendKeys(value);
            }
        });
        submit(form.findElement(By.tagName("button")));
    }

    /** Clicks a form's button and waits until the next page has replaced this one and is loaded. */
    private void submit(WebElement button) throws InterruptedException {
        WebElement before = browser.findElement(By.tagName("html"));
        button.click();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean replaced;
            try {
                before.isEnabled();
                replaced = false;
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                replaced = true;
            } catch (org.openqa.selenium.WebDriverException changing) {
                // asked while Chrome swaps the document: its inspector reports the node's document as gone
                if (String.valueOf(changing.getMessage()).contains("does not belong to the document")) {
                    replaced = true;
                } else {
                    throw changing;
                }
            }
            if (replaced && "complete".equals(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.readyState"))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not change after the click:\n" + browser.getPageSource());
            }
            Thread.sleep(50);
        }
        assertEquals("est4j operator console", browser.getTitle(), browser::getPageSource);
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    // ---- plain HTTP --------------------------------------------------------------------------------------------

    private HttpClient client() throws Exception {
        return client(null);
    }

    private HttpClient client(javax.net.ssl.X509ExtendedKeyManager key) throws Exception {
        return HttpClient.newBuilder().sslContext(Pki.tls(target.ca(), key)).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(20)).build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(HttpClient client, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + target.authority() + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient client, String path, String authorization, String origin, Map<String, String> form)
            throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + target.authority() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded");
        if (origin != null) {
            request.header("Origin", origin);
        }
        return client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(form);
        copy.put(name, value);
        return copy;
    }

    /** The value of the first hidden field {@code name} of the page. */
    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name);
        return m.group(1);
    }

    /** The id of the request article that shows {@code subject}. */
    private static String idOf(String html, String subject) {
        for (String article : html.split("<article ")) {
            if (article.contains(subject)) {
                Matcher m = Pattern.compile("data-id=\"([0-9a-f]{32})\"").matcher(article);
                assertTrue(m.find(), article);
                return m.group(1);
            }
        }
        throw new AssertionError("no request " + subject + " on the page");
    }

    private X509Certificate enroll(KeyPair keys, String subject) throws Exception {
        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password())
                .postCsr("simpleenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        return Pki.certsOnly(reply.base64Body()).get(0);
    }

    private byte[] fetch(String path) throws Exception {
        HttpResponse<byte[]> r = client().send(HttpRequest.newBuilder(URI.create("https://" + target.authority() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** {@code openssl crl -inform DER -text -noout}: an independent reading of the CRL. */
    private static String opensslCrl(byte[] der) throws Exception {
        Path file = Files.createTempFile("console-crl", ".der");
        Files.write(file, der);
        Process p = new ProcessBuilder("openssl", "crl", "-inform", "DER", "-in", file.toString(), "-text", "-noout")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private List<JsonNode> auditRecords() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String line : Files.readString(target.estHome().resolve(AUDIT_FILE), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                records.add(json.readTree(line));
            }
        }
        return records;
    }
}
