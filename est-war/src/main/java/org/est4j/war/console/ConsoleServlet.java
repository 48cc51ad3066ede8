package org.est4j.war.console;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.est4j.jaxrs.ClientText;
import org.est4j.war.Est4jRuntime;
import org.est4j.war.OperatorActions;
import org.est4j.war.access.AdminCertificate;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.IssuedCertificates;
import org.est4j.war.localca.LocalCa;
import org.est4j.war.localca.RevocationReason;

/**
 * {@code /console/}: the operator console (docs/console.md). {@code GET /console/} shows the page; {@code POST
 * /console/approve}, {@code /console/reject} and {@code /console/revoke} act, each checked for the session's CSRF token
 * and a same-origin {@code Origin}/{@code Referer}, then answer 303 back to the page. 404 while neither
 * {@code console.role} nor {@code console.client-subject} is set; 401/403 for anyone who is not an operator; bad input
 * gets a one-line text/plain 4xx reason. GET never changes anything.
 */
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ConsoleServlet.class.getName());

    /** Session attributes: the operator the session belongs to, its CSRF token, and the last action's outcome. */
    static final String SESSION_OPERATOR = "est4j.console.operator";
    static final String SESSION_TOKEN = "est4j.console.csrf";
    static final String SESSION_FLASH = "est4j.console.flash";
    /** An idle console session ends after this long; a new one gets a new token. */
    static final int SESSION_IDLE_SECONDS = 15 * 60;
    private static final int PAGE_SIZE = 25;
    private static final int MAX_TEXT = 200;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        // before the first parameter is read: forms post UTF-8 (the page's charset), Tomcat's default is ISO-8859-1
        request.setCharacterEncoding("UTF-8");
        securityHeaders(response, null);
        Est4jRuntime runtime;
        try {
            runtime = CDI.current().select(Est4jRuntime.class).get();
        } catch (RuntimeException e) {
            text(response, 503, "est4j is not started");
            return;
        }
        Optional<ConsoleAccess> access = runtime.console();
        if (access.isEmpty()) {
            text(response, 404, "the operator console is off: set console.role or console.client-subject in est4j.properties");
            return;
        }
        ConsoleAccess.Verdict verdict = access.get().check(caller(request));
        switch (verdict.outcome()) {
            case UNAUTHENTICATED -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"est4j console\", charset=\"UTF-8\"");
                text(response, 401, "the console needs an operator: a user with the container role of console.role");
                return;
            }
            case FORBIDDEN -> {
                text(response, 403, access.get().usesRole() ? "this user or client certificate is not an operator of the console"
                        : "the console needs the TLS client certificate of console.client-subject");
                return;
            }
            case ALLOWED -> {
                // below
            }
        }
        ConsoleAccess.Operator operator = verdict.operator().orElseThrow();
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        if (path.isEmpty()) {
            response.setStatus(303);
            response.setHeader("Location", request.getContextPath() + "/console/");
            return;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            if (!path.equals("/")) {
                text(response, 404, "no such console page");
                return;
            }
            page(runtime, request, response, operator);
            return;
        }
        if (!method.equals("POST")) {
            response.setHeader("Allow", path.equals("/") ? "GET, HEAD" : "POST");
            text(response, 405, "the console's pages are read with GET and its actions sent with POST");
            return;
        }
        if (!List.of("/approve", "/reject", "/revoke").contains(path)) {
            text(response, 404, "no such console action");
            return;
        }
        if (!CsrfGuard.sameOrigin(request.getHeader("Origin"), request.getHeader("Referer"), request.getHeader("Host"))) {
            text(response, 403, "the action was not sent from a console page of this server (Origin/Referer)");
            return;
        }
        HttpSession session = request.getSession(false);
        if (session == null || !operator.equals(session.getAttribute(SESSION_OPERATOR))
                || !CsrfGuard.tokenMatches((String) session.getAttribute(SESSION_TOKEN), request.getParameter(CsrfGuard.FIELD))) {
            text(response, 403, "the action's CSRF token is missing, wrong or expired: reload the console and try again");
            return;
        }
        try {
            String done = switch (path) {
                case "/approve", "/reject" -> decide(runtime, request, operator, path.equals("/approve"));
                default -> revoke(runtime, request, operator);
            };
            session.setAttribute(SESSION_FLASH, done);
            response.setStatus(303);
            response.setHeader("Location", request.getContextPath() + "/console/");
        } catch (Refusal r) {
            text(response, r.status, r.getMessage());
        }
    }

    /** A request the console refuses, with its status and one-line reason. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private static String decide(Est4jRuntime runtime, HttpServletRequest request, ConsoleAccess.Operator operator, boolean approve)
            throws Refusal, IOException {
        LocalCa ca = ca(runtime, request.getParameter("ca"), false).orElseThrow();
        String id = request.getParameter("id");
        if (id == null || !ApprovalQueue.isId(id)) {
            throw new Refusal(400, "'id' must be a request id of 32 hex digits");
        }
        String note = approve ? optionalText(request, "note") : optionalText(request, "reason");
        if (!approve && note.isEmpty()) {
            throw new Refusal(400, "a rejection needs a reason");
        }
        try {
            OperatorActions.decide(ca.approvals(), id, approve, operator.actor(), note);
        } catch (IllegalArgumentException e) {
            throw new Refusal(409, "request " + id + " is not waiting for a decision (decided already, or unknown)");
        }
        LOG.log(System.Logger.Level.INFO, "{0} {1} request {2} of CA {3}", ClientText.quote(operator.actor()),
                approve ? "approved" : "rejected", id, ca.name());
        return (approve ? "Approved " : "Rejected ") + id + ": the client's next repetition of the request gets "
                + (approve ? "its certificate." : "a refusal.");
    }

    private static String revoke(Est4jRuntime runtime, HttpServletRequest request, ConsoleAccess.Operator operator)
            throws Refusal, IOException {
        String serialText = Optional.ofNullable(request.getParameter("serial")).orElse("");
        Optional<BigInteger> serial = OperatorActions.parseSerial(serialText);
        if (serial.isEmpty()) {
            throw new Refusal(400, "'" + ClientText.quote(serialText, 64) + "' is not a serial number in hex (as openssl x509 -serial prints it)");
        }
        String reasonText = Optional.ofNullable(request.getParameter("reason")).orElse("");
        Optional<Integer> reason = RevocationReason.parse(reasonText.strip());
        if (reason.isEmpty()) {
            throw new Refusal(400, "unknown revocation reason '" + ClientText.quote(reasonText, 64) + "': " + RevocationReason.accepted());
        }
        Optional<LocalCa> only = ca(runtime, request.getParameter("ca"), true);
        List<String> names = runtime.localCas().stream().map(LocalCa::name).sorted().toList();
        OperatorActions.RevokeOutcome outcome = OperatorActions.revoke(runtime.store(), names, only.map(LocalCa::name), serial.get(),
                reason.get(), operator.actor());
        if (outcome instanceof OperatorActions.Ambiguous a) {
            throw new Refusal(409, "serial " + serial.get().toString(16) + " was issued by " + a.cas().size() + " local CAs: choose the CA");
        }
        if (!(outcome instanceof OperatorActions.Revoked r)) {
            throw new Refusal(404, "no local CA" + only.map(c -> " named " + c.name()).orElse("") + " issued serial " + serial.get().toString(16));
        }
        if (r.earlier()) {
            return "Serial " + serial.get().toString(16) + " was revoked already (" + RevocationReason.name(r.revocation().reason()) + ", "
                    + r.revocation().time() + ").";
        }
        LOG.log(System.Logger.Level.INFO, "{0} revoked serial {1} of CA {2} ({3})", ClientText.quote(operator.actor()),
                serial.get().toString(16), r.ca(), RevocationReason.name(reason.get()));
        return "Revoked serial " + serial.get().toString(16) + " of CA " + r.ca() + " (" + r.certificate().getSubjectX500Principal().getName()
                + ", " + RevocationReason.name(reason.get()) + "): the next CRL lists it.";
    }

    /** The CA named by a form field; empty for "" when {@code anyAllowed}. */
    private static Optional<LocalCa> ca(Est4jRuntime runtime, String name, boolean anyAllowed) throws Refusal {
        if (name == null || name.isEmpty()) {
            if (anyAllowed) {
                return Optional.empty();
            }
            throw new Refusal(400, "'ca' is missing");
        }
        return Optional.of(runtime.localCas().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new Refusal(400, "no local CA named '" + ClientText.quote(name, 64) + "'")));
    }

    /** A short free text field: at most 200 characters, no control characters; "" when absent. */
    private static String optionalText(HttpServletRequest request, String field) throws Refusal {
        String value = Optional.ofNullable(request.getParameter(field)).orElse("").strip();
        if (value.length() > MAX_TEXT || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new Refusal(400, "'" + field + "' must be at most " + MAX_TEXT + " characters on one line");
        }
        return value;
    }

    private static void page(Est4jRuntime runtime, HttpServletRequest request, HttpServletResponse response, ConsoleAccess.Operator operator)
            throws IOException {
        ConsolePage.Search search;
        try {
            search = search(runtime, request);
        } catch (Refusal r) {
            text(response, r.status, r.getMessage());
            return;
        }
        HttpSession session = operatorSession(request, operator);
        Object flash = session.getAttribute(SESSION_FLASH);
        session.removeAttribute(SESSION_FLASH);
        List<PendingRequest> pending = new ArrayList<>();
        List<ConsolePage.CaView> cas = new ArrayList<>();
        for (LocalCa ca : runtime.localCas().stream().sorted(java.util.Comparator.comparing(LocalCa::name)).toList()) {
            cas.add(new ConsolePage.CaView(ca.name(), certificatesOf(ca)));
            for (ApprovalQueue.Entry e : ca.approvals().list()) {
                pending.add(PendingRequest.of(ca.name(), e));
            }
        }
        String nonce = nonce();
        securityHeaders(response, nonce);
        byte[] body = new ConsolePage((String) session.getAttribute(SESSION_TOKEN), Instant.now())
                .render(operator, nonce, Optional.ofNullable((String) flash), pending, cas, search).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }

    /**
     * A CA's roots and, during a key rollover's overlap, its link certificates, each named: what {@code /cacerts}
     * serves plus the old root, which it leaves out (OldWithNew carries the old key).
     */
    static List<ConsolePage.CaCertificate> certificatesOf(LocalCa ca) {
        List<X509Certificate> roots = ca.roots();
        List<ConsolePage.CaCertificate> held = new ArrayList<>();
        if (roots.size() == 1) {
            held.add(new ConsolePage.CaCertificate("root", roots.get(0)));
            return held;
        }
        X509Certificate current = roots.get(0);
        held.add(new ConsolePage.CaCertificate("new root", current));
        for (X509Certificate old : roots.subList(1, roots.size())) {
            held.add(new ConsolePage.CaCertificate("old root", old));
        }
        for (X509Certificate link : ca.caCertificates()) {
            if (!link.equals(current)) {
                // NewWithOld certifies the new key; OldWithNew the old one
                held.add(new ConsolePage.CaCertificate(link.getPublicKey().equals(current.getPublicKey()) ? "NewWithOld" : "OldWithNew", link));
            }
        }
        return held;
    }

    /**
     * The operator's session with its CSRF token: a session of another operator (or none) is replaced by a new one, so
     * a token is only ever good for the operator it was shown to.
     */
    private static HttpSession operatorSession(HttpServletRequest request, ConsoleAccess.Operator operator) {
        HttpSession session = request.getSession(false);
        if (session != null && !operator.equals(session.getAttribute(SESSION_OPERATOR))) {
            session.invalidate();
            session = null;
        }
        if (session == null) {
            session = request.getSession(true);
            session.setMaxInactiveInterval(SESSION_IDLE_SECONDS);
            session.setAttribute(SESSION_OPERATOR, operator);
            session.setAttribute(SESSION_TOKEN, CsrfGuard.newToken());
        }
        return session;
    }

    /** The search the query string asks for (GET: it changes nothing), run on every CA or the one named. */
    private static ConsolePage.Search search(Est4jRuntime runtime, HttpServletRequest request) throws Refusal, IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : List.of("subject", "serial", "from", "to", "ca")) {
            String value = Optional.ofNullable(request.getParameter(key)).orElse("").strip();
            if (value.length() > MAX_TEXT || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new Refusal(400, "'" + key + "' must be at most " + MAX_TEXT + " characters on one line");
            }
            fields.put(key, value);
        }
        if (request.getParameter("search") == null) {
            return new ConsolePage.Search(fields, false, List.of(), false, 0);
        }
        Optional<BigInteger> serial = Optional.empty();
        if (!fields.get("serial").isEmpty()) {
            serial = OperatorActions.parseSerial(fields.get("serial"));
            if (serial.isEmpty()) {
                throw new Refusal(400, "'" + ClientText.quote(fields.get("serial"), 64) + "' is not a serial number in hex");
            }
        }
        Optional<Instant> from = day(fields.get("from"), "from").map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC));
        Optional<Instant> before = day(fields.get("to"), "to").map(d -> d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        int page;
        try {
            page = Integer.parseInt(Optional.ofNullable(request.getParameter("page")).orElse("0"));
        } catch (NumberFormatException e) {
            page = -1;
        }
        if (page < 0 || (long) page * PAGE_SIZE > IssuedCertificates.Query.MAX_OFFSET) {
            throw new Refusal(400, "'page' must be a number from 0 to " + IssuedCertificates.Query.MAX_OFFSET / PAGE_SIZE);
        }
        Optional<LocalCa> only = ca(runtime, fields.get("ca"), true);
        List<LocalCa> cas = runtime.localCas().stream().filter(c -> only.isEmpty() || only.get() == c).toList();
        // one CA pages in its store; several are merged newest first from each one's first pages, so only so deep
        int offset = cas.size() == 1 ? page * PAGE_SIZE : 0;
        int limit = cas.size() == 1 ? PAGE_SIZE : (page + 1) * PAGE_SIZE;
        if (limit > IssuedCertificates.Query.MAX_LIMIT) {
            throw new Refusal(400, "choose a CA to page further than " + IssuedCertificates.Query.MAX_LIMIT + " certificates");
        }
        IssuedCertificates.Query query = new IssuedCertificates.Query(fields.get("subject"), serial, from, before, offset, limit);
        List<ConsolePage.FoundView> all = new ArrayList<>();
        boolean more = false;
        for (LocalCa ca : cas) {
            IssuedCertificates.Page found = runtime.store().searchIssued(ca.name(), query);
            more |= found.more();
            for (IssuedCertificates.Found f : found.found()) {
                all.add(new ConsolePage.FoundView(ca.name(), f, ca.revocations().find(f.certificate().getSerialNumber())));
            }
        }
        all.sort(java.util.Comparator.comparing((ConsolePage.FoundView v) -> v.found().issued()).reversed());
        int start = cas.size() == 1 ? 0 : page * PAGE_SIZE;
        more |= all.size() > start + PAGE_SIZE;
        List<ConsolePage.FoundView> shown = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + PAGE_SIZE));
        return new ConsolePage.Search(fields, true, List.copyOf(shown), more, page);
    }

    private static Optional<LocalDate> day(String value, String field) throws Refusal {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException e) {
            throw new Refusal(400, "'" + field + "' must be a day as YYYY-MM-DD");
        }
    }

    private static ConsoleAccess.Caller caller(HttpServletRequest request) {
        return new ConsoleAccess.Caller() {
            @Override
            public Principal principal() {
                return request.getUserPrincipal();
            }

            @Override
            public boolean inRole(String role) {
                return request.isUserInRole(role);
            }

            @Override
            public boolean login(String user, String password) {
                try {
                    request.login(user, password);
                    return true;
                } catch (ServletException e) {
                    return false;
                }
            }

            @Override
            public String authorization() {
                return request.getHeader("Authorization");
            }

            @Override
            public List<X509Certificate> chain() {
                return AdminCertificate.chainOf(request);
            }
        };
    }

    private static String nonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * On every answer, errors included: nothing cached, nothing framed, nothing sniffed, and a policy that allows no
     * script at all and only the page's own style sheet (by its nonce); forms post only to this server.
     */
    private static void securityHeaders(HttpServletResponse response, String nonce) {
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src " + (nonce == null ? "'none'" : "'nonce-" + nonce + "'")
                + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "same-origin");
    }

    private static void text(HttpServletResponse response, int status, String line) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(status + " " + line + "\n");
    }
}
