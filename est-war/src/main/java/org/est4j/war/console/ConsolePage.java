package org.est4j.war.console;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.IssuedCertificates;
import org.est4j.war.localca.RevocationReason;
import org.est4j.war.localca.Revocations;

/**
 * The console's one HTML page, written on the server: the pending requests with approve and reject, revocation by
 * serial, the search of issued certificates and the CA certificates. Every value that is not the page's own text goes
 * through {@link Html#text}; the only script-free interaction is forms (POST for actions, GET for the search), and the
 * style sheet carries the response's CSP nonce.
 */
final class ConsolePage {

    /** One CA's certificate. */
    record CaView(String name, List<CaCertificate> certificates) {
    }

    /**
     * One certificate of a CA with its role: {@code root}, or during a key rollover's overlap (RFC 7030 section 4.1.3)
     * {@code new root}, {@code old root}, and the link certificates {@code NewWithOld} and {@code OldWithNew}.
     */
    record CaCertificate(String role, X509Certificate certificate) {
    }

    /** One certificate found, with its CA and revocation. */
    record FoundView(String ca, IssuedCertificates.Found found, Optional<Revocations.Revocation> revocation) {
    }

    /**
     * The search as asked (the form's fields, as typed) and what it found.
     *
     * @param done  whether a search was asked for at all
     * @param page  0-based
     */
    record Search(Map<String, String> fields, boolean done, List<FoundView> found, boolean more, int page) {
    }

    private static final DateTimeFormatter TIME_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(java.time.ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(16 * 1024);
    private final String token;
    private final Instant now;

    ConsolePage(String token, Instant now) {
        this.token = token;
        this.now = now;
    }

    String render(ConsoleAccess.Operator operator, String nonce, Optional<String> flash, List<PendingRequest> pending, List<CaView> cas,
                  Search search) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>est4j operator console</title><style nonce=\"").append(nonce).append("\">").append(STYLE).append("</style></head>")
                .append("<body><header><h1>est4j operator console</h1><p class=\"who\">Signed in as <strong>")
                .append(Html.text(operator.name())).append("</strong> <span class=\"proof\">").append(Html.text(operator.proof()))
                .append("</span></p></header><main>");
        flash.ifPresent(f -> out.append("<p class=\"flash\" role=\"status\">").append(Html.text(f)).append("</p>"));
        pending(pending);
        revoke(cas);
        search(cas, search);
        caCertificates(cas);
        out.append("</main><footer>Every action is recorded in the audit trail with your identity. Page rendered ")
                .append(TIME.format(now)).append(".</footer></body></html>\n");
        return out.toString();
    }

    private void pending(List<PendingRequest> pending) {
        long waiting = pending.stream().filter(p -> p.state() == ApprovalQueue.State.PENDING).count();
        out.append("<section id=\"pending\"><h2>Pending requests <span class=\"count\">").append(waiting).append("</span></h2>");
        if (pending.isEmpty()) {
            out.append("<p class=\"empty\">No request waits for a decision.</p></section>");
            return;
        }
        out.append("<p class=\"hint\">Values marked <span class=\"badge unverified\">unverified</span> are the client's claims: no "
                + "authentication proved them. Approve only what you can vouch for by other means.</p>");
        for (PendingRequest p : pending) {
            String state = switch (p.state()) {
                case REJECTED -> "rejected";
                case APPROVED -> "approved: issued at the client's next repetition";
                default -> "waiting";
            };
            out.append("<article class=\"request ").append(p.state() == ApprovalQueue.State.PENDING ? "waiting" : p.state() == ApprovalQueue.State.REJECTED
                    ? "rejected" : "approved").append("\" data-id=\"").append(Html.text(p.id())).append("\"><h3>Request <code>")
                    .append(Html.text(p.id())).append("</code> <span class=\"state\">").append(state).append("</span></h3><dl>");
            row("CA / label", p.ca() + (p.label().isEmpty() ? "" : " / " + p.label()), null);
            row("Received", time(p.received()), null);
            out.append("<dt>Client</dt><dd>");
            if (p.provenBy().isEmpty()) {
                out.append("<span class=\"badge unverified\">not authenticated</span> ");
            } else {
                out.append("<span class=\"badge proven\">proven by ").append(Html.text(String.join(", ", p.provenBy()))).append("</span> ")
                        .append(Html.text(p.provenIdentity()));
            }
            if (!p.unverifiedClient().isEmpty()) {
                out.append("<div class=\"claim\"><span class=\"badge unverified\">unverified</span> presented: ")
                        .append(Html.text(p.unverifiedClient())).append("</div>");
            }
            out.append("</dd>");
            row("Subject", p.subject().isEmpty() ? "(empty)" : p.subject(), p.subjectProven() ? "matches the client certificate" : "unverified");
            row("Subject alt. names", p.noSubjectAltNames() ? "none" : p.subjectAltNamesText(), p.noSubjectAltNames() ? null : "unverified");
            row("Key", p.key(), "possession proven by the CSR signature");
            row("Why it waits", p.why(), null);
            row("Client address", p.remoteAddress(), null);
            if (!p.decision().isEmpty()) {
                row("Decision", p.decision(), null);
            }
            out.append("</dl>");
            if (p.state() == ApprovalQueue.State.PENDING) {
                out.append("<div class=\"actions\">");
                form("approve", "Approve", "approve");
                hidden("ca", p.ca());
                hidden("id", p.id());
                out.append("<label>Note <input name=\"note\" maxlength=\"200\" placeholder=\"optional\"></label>")
                        .append("<button type=\"submit\" class=\"ok\">Approve</button></form>");
                form("reject", "Reject", "reject");
                hidden("ca", p.ca());
                hidden("id", p.id());
                out.append("<label>Reason <input name=\"reason\" maxlength=\"200\" required placeholder=\"shown in the audit trail\"></label>")
                        .append("<button type=\"submit\" class=\"danger\">Reject</button></form></div>");
            }
            out.append("</article>");
        }
        out.append("</section>");
    }

    private void revoke(List<CaView> cas) {
        out.append("<section id=\"revoke\"><h2>Revoke a certificate</h2>");
        form("revoke", "Revoke", "inline");
        out.append("<label>Serial (hex) <input name=\"serial\" required maxlength=\"64\" pattern=\"[0-9A-Fa-f:xX ]+\" "
                + "placeholder=\"as openssl x509 -serial prints it\"></label><label>Reason <select name=\"reason\">");
        for (int code : RevocationReason.revocationCodes()) {
            out.append("<option value=\"").append(RevocationReason.name(code)).append("\">").append(RevocationReason.name(code)).append("</option>");
        }
        out.append("</select></label>");
        caSelect(cas, "");
        out.append("<button type=\"submit\" class=\"danger\">Revoke</button></form>")
                .append("<p class=\"hint\">The certificate authenticates nothing from the next request on, and the CA's next CRL lists it.</p></section>");
    }

    private void search(List<CaView> cas, Search search) {
        Map<String, String> f = search.fields();
        out.append("<section id=\"search\"><h2>Issued certificates</h2><form method=\"get\" action=\"./\" class=\"inline\">")
                .append("<input type=\"hidden\" name=\"search\" value=\"1\">")
                .append("<label>Subject contains <input name=\"subject\" maxlength=\"200\" value=\"").append(Html.text(f.get("subject"))).append("\"></label>")
                .append("<label>Serial (hex) <input name=\"serial\" maxlength=\"64\" value=\"").append(Html.text(f.get("serial"))).append("\"></label>")
                .append("<label>Issued from <input type=\"date\" name=\"from\" value=\"").append(Html.text(f.get("from"))).append("\"></label>")
                .append("<label>to <input type=\"date\" name=\"to\" value=\"").append(Html.text(f.get("to"))).append("\"></label>");
        caSelect(cas, f.getOrDefault("ca", ""));
        out.append("<button type=\"submit\">Search</button></form>");
        if (!search.done()) {
            out.append("<p class=\"hint\">Search by any part of the subject (any case), the exact serial, or the day of issue (UTC, both days included).</p></section>");
            return;
        }
        if (search.found().isEmpty()) {
            out.append("<p class=\"empty\">No certificate matches.</p></section>");
            return;
        }
        out.append("<table class=\"found\"><thead><tr><th>CA</th><th>Serial</th><th>Subject</th><th>Issued</th><th>Not after</th><th>Status</th></tr></thead><tbody>");
        for (FoundView v : search.found()) {
            X509Certificate c = v.found().certificate();
            out.append("<tr><td>").append(Html.text(v.ca())).append("</td><td><code>").append(c.getSerialNumber().toString(16))
                    .append("</code></td><td>").append(Html.text(c.getSubjectX500Principal().getName())).append("</td><td>")
                    .append(TIME.format(v.found().issued())).append("</td><td>").append(TIME.format(c.getNotAfter().toInstant())).append("</td><td>");
            if (v.revocation().isPresent()) {
                out.append("<span class=\"badge revoked\">revoked</span> ").append(Html.text(RevocationReason.name(v.revocation().get().reason())))
                        .append(", ").append(TIME.format(v.revocation().get().time()));
            } else if (c.getNotAfter().toInstant().isBefore(now)) {
                out.append("<span class=\"badge expired\">expired</span>");
            } else {
                out.append("<span class=\"badge proven\">valid</span>");
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table><nav class=\"pages\">");
        if (search.page() > 0) {
            out.append("<a href=\"").append(Html.text(pageLink(f, search.page() - 1))).append("\">&larr; newer</a>");
        }
        out.append("<span>page ").append(search.page() + 1).append("</span>");
        if (search.more()) {
            out.append("<a href=\"").append(Html.text(pageLink(f, search.page() + 1))).append("\">older &rarr;</a>");
        }
        out.append("</nav></section>");
    }

    /** An ISO-8601 instant of the queue's records as the page shows times; as recorded when it is none. */
    private static String time(String instant) {
        try {
            return TIME_SECONDS.format(Instant.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    private static String pageLink(Map<String, String> fields, int page) {
        StringBuilder link = new StringBuilder("./?search=1");
        for (String key : List.of("subject", "serial", "from", "to", "ca")) {
            String value = fields.getOrDefault(key, "");
            if (!value.isEmpty()) {
                link.append('&').append(key).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return link.append("&page=").append(page).toString();
    }

    private void caCertificates(List<CaView> cas) {
        out.append("<section id=\"cas\"><h2>CA certificates</h2><table><thead><tr><th>CA</th><th>Role</th><th>Subject</th>")
                .append("<th>Serial</th><th>SHA-256 fingerprint</th><th>Not after</th><th>Days left</th></tr></thead><tbody>");
        for (CaView ca : cas) {
            for (CaCertificate held : ca.certificates()) {
                caCertificate(ca.name(), held);
            }
        }
        out.append("</tbody></table></section>");
    }

    private void caCertificate(String ca, CaCertificate held) {
        X509Certificate c = held.certificate();
        long days = Duration.between(now, c.getNotAfter().toInstant()).toDays();
        // red under 30 days (and once expired), amber under 180: a CA certificate takes months to replace
        String level = days < 30 ? "revoked" : days < 180 ? "expiring" : "proven";
        out.append("<tr><td>").append(Html.text(ca)).append("</td><td>").append(Html.text(held.role())).append("</td><td>")
                .append(Html.text(c.getSubjectX500Principal().getName()))
                .append("</td><td><code>").append(c.getSerialNumber().toString(16)).append("</code></td><td><code class=\"fp\">")
                .append(colons(ApprovalQueue.fingerprint(c))).append("</code></td><td>")
                .append(TIME.format(c.getNotAfter().toInstant().truncatedTo(ChronoUnit.MINUTES))).append("</td><td><span class=\"badge ")
                .append(level).append("\">").append(days).append("</span></td></tr>");
    }

    private static String colons(String hex) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            s.append(i == 0 ? "" : ":").append(hex, i, Math.min(i + 2, hex.length()));
        }
        return s.toString().toUpperCase(java.util.Locale.ROOT);
    }

    private void caSelect(List<CaView> cas, String selected) {
        out.append("<label>CA <select name=\"ca\"><option value=\"\">any</option>");
        for (CaView ca : cas) {
            out.append("<option value=\"").append(Html.text(ca.name())).append('"').append(ca.name().equals(selected) ? " selected" : "")
                    .append('>').append(Html.text(ca.name())).append("</option>");
        }
        out.append("</select></label>");
    }

    private void form(String action, String title, String cssClass) {
        out.append("<form method=\"post\" action=\"").append(action).append("\" class=\"").append(cssClass).append("\" aria-label=\"")
                .append(title).append("\">");
        hidden(CsrfGuard.FIELD, token);
    }

    private void hidden(String name, String value) {
        out.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.text(value)).append("\">");
    }

    private void row(String name, String value, String badge) {
        out.append("<dt>").append(name).append("</dt><dd>");
        if (badge != null) {
            String css = badge.equals("unverified") ? "unverified" : "proven";
            out.append("<span class=\"badge ").append(css).append("\">").append(Html.text(badge)).append("</span> ");
        }
        out.append(Html.text(value)).append("</dd>");
    }

    private static final String STYLE = """
            :root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#f5f7fa;--card:#fff;--accent:#24507a;--ok:#1f7a3a;--bad:#a3231f;--warn:#8a5a00}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
            header{background:var(--accent);color:#fff;padding:14px 28px;display:flex;align-items:baseline;justify-content:space-between;flex-wrap:wrap}
            header h1{font-size:20px;margin:0;font-weight:600}
            .who{margin:0}.proof{opacity:.8;font-size:13px;margin-left:6px}
            main{max-width:1180px;margin:0 auto;padding:8px 28px 28px}
            section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-top:20px}
            h2{font-size:17px;margin:0 0 10px}
            h3{font-size:15px;margin:0 0 8px}
            .count{background:var(--accent);color:#fff;border-radius:10px;padding:1px 9px;font-size:13px;margin-left:4px}
            .hint,.empty,footer{color:var(--muted);font-size:13px}
            footer{max-width:1180px;margin:0 auto;padding:0 28px 24px}
            .flash{background:#e7f3ea;border:1px solid #b9dcc2;border-radius:6px;padding:10px 14px;margin-top:20px}
            article.request{border:1px solid var(--line);border-left:4px solid var(--warn);border-radius:6px;padding:12px 16px;margin:12px 0}
            article.rejected{border-left-color:var(--bad);opacity:.85}
            article.approved{border-left-color:var(--ok)}
            .state{font-weight:normal;color:var(--muted);font-size:13px}
            dl{display:grid;grid-template-columns:160px 1fr;gap:4px 14px;margin:0 0 10px}
            dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
            .claim{margin-top:3px}
            .badge{display:inline-block;white-space:nowrap;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;vertical-align:1px}
            .unverified{background:#fde8e7;color:var(--bad);border:1px solid #f2b8b5}
            .proven{background:#e7f3ea;color:var(--ok);border:1px solid #b9dcc2}
            .revoked{background:#fde8e7;color:var(--bad);border:1px solid #f2b8b5}
            .expired,.expiring{background:#fff4dc;color:var(--warn);border:1px solid #ecd29a}
            .actions{display:flex;gap:18px;flex-wrap:wrap}
            form{display:flex;gap:8px;align-items:flex-end;flex-wrap:wrap}
            label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
            input,select{font:inherit;font-size:14px;padding:5px 8px;border:1px solid #b8c0cc;border-radius:5px;min-width:150px;color:var(--ink)}
            button{font:inherit;font-size:14px;padding:6px 14px;border-radius:5px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
            button.ok{background:var(--ok);border-color:var(--ok)}button.danger{background:var(--bad);border-color:var(--bad)}
            table{border-collapse:collapse;width:100%;margin-top:12px;font-size:14px}
            th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
            th{font-size:12px;color:var(--muted);font-weight:600}
            code{font:13px/1.3 ui-monospace,"DejaVu Sans Mono",monospace}.fp{font-size:11px}
            .pages{display:flex;gap:16px;margin-top:10px;font-size:14px}
            a{color:var(--accent)}
            """;
}
