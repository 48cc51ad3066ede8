package org.est4j.war.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.est4j.war.localca.ApprovalQueue;

/**
 * A queued request as the console shows it: every value with whether anything proved it. The CSR's subject and
 * subjectAltName are the client's claims; only a subject equal to that of the client's validated TLS certificate is
 * backed by an authentication. The key is proven only in the sense that the CSR's signature shows its possession.
 *
 * @param ca                the local CA
 * @param id                the queue's id
 * @param state             pending or rejected
 * @param received          when it was queued, or ""
 * @param label             the CA label of the request, or ""
 * @param subject           the requested subject
 * @param subjectProven     whether {@code subject} is the subject of the client's validated TLS certificate
 * @param subjectAltNames   the requested subjectAltName, as the queue recorded it
 * @param key               the key's algorithm
 * @param provenBy          the authentication methods that succeeded; empty: none (the request is from an
 *                          unauthenticated client, RFC 7030 section 3.7)
 * @param provenIdentity    the identity they proved (the certificate or user name), or ""
 * @param unverifiedClient  what the client presented that nothing proved, or ""
 * @param why               why it waits for a person
 * @param remoteAddress     the client's address (the immediate peer)
 * @param decision          for a rejected request: when, by whom, and the reason
 */
public record PendingRequest(String ca, String id, ApprovalQueue.State state, String received, String label, String subject,
                             boolean subjectProven, String subjectAltNames, String key, List<String> provenBy, String provenIdentity,
                             String unverifiedClient, String why, String remoteAddress, String decision) {

    /** The view of {@code entry} of CA {@code ca}. */
    public static PendingRequest of(String ca, ApprovalQueue.Entry entry) {
        Map<String, String> d = entry.details();
        String subject = d.getOrDefault("subject", "");
        List<String> provenBy = new ArrayList<>();
        String proven;
        String unverified;
        if (d.containsKey(ApprovalQueue.PROVEN_BY)) {
            for (String m : d.get(ApprovalQueue.PROVEN_BY).split(",")) {
                if (!m.isBlank()) {
                    provenBy.add(m.strip());
                }
            }
            unverified = d.getOrDefault(ApprovalQueue.UNVERIFIED_CLIENT, "");
            proven = provenBy.isEmpty() ? "" : provenPart(d.getOrDefault("client", ""));
        } else {
            // queued by an earlier version: only the description, whose unproven parts start in capitals
            proven = provenPart(d.getOrDefault("client", ""));
            unverified = unverifiedPart(d.getOrDefault("client", ""));
            if (!proven.isEmpty()) {
                provenBy.add("see the identity");
            }
        }
        boolean subjectProven = !subject.isEmpty() && subject.equals(d.get(ApprovalQueue.VERIFIED_SUBJECT));
        String decision = entry.state() == ApprovalQueue.State.REJECTED
                ? "rejected " + shortTime(d.getOrDefault("rejected", "")) + " by " + d.getOrDefault("rejected-by", "?")
                        + (d.containsKey("rejected-note") ? ": " + d.get("rejected-note") : "")
                : "";
        return new PendingRequest(ca, entry.id(), entry.state(), d.getOrDefault("received", ""), d.getOrDefault("label", ""), subject,
                subjectProven, d.getOrDefault("subject-alt-names", ""), d.getOrDefault("key", ""), List.copyOf(provenBy), proven, unverified,
                d.getOrDefault("why", ""), d.getOrDefault("remote-address", ""), decision);
    }

    private static final java.util.regex.Pattern SAN_ENTRY =
            java.util.regex.Pattern.compile("SubjectAltName\\[type=([A-Z0-9_]+), value=(.*?)\\](?=, SubjectAltName\\[|$)");

    /**
     * The subjectAltName as people read it ({@code DNS device.example, IP 192.0.2.1}) from the queue's record (the SPI
     * values' {@code toString}); as recorded when it has another form.
     */
    public String subjectAltNamesText() {
        String list = subjectAltNames.strip();
        if (!list.startsWith("[") || !list.endsWith("]")) {
            return subjectAltNames;
        }
        java.util.regex.Matcher m = SAN_ENTRY.matcher(list.substring(1, list.length() - 1));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            String type = switch (m.group(1)) {
                case "DNS_NAME" -> "DNS";
                case "RFC822_NAME" -> "email";
                case "IP_ADDRESS" -> "IP";
                case "URI" -> "URI";
                case "DIRECTORY_NAME" -> "DirName";
                case "REGISTERED_ID" -> "RID";
                default -> m.group(1);
            };
            names.add(type + " " + m.group(2));
        }
        return names.isEmpty() ? subjectAltNames : String.join(", ", names);
    }

    /** Whether the request asks for no subjectAltName. */
    public boolean noSubjectAltNames() {
        return subjectAltNames.isBlank() || subjectAltNames.equals("[]");
    }

    private static String shortTime(String instant) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    private static String provenPart(String description) {
        return String.join("; ", parts(description, false));
    }

    private static String unverifiedPart(String description) {
        return String.join("; ", parts(description, true));
    }

    /** {@link ApprovalQueue#describe}'s parts, proven ones or the others ("UNVERIFIED ...", "UNKNOWN ..."). */
    private static List<String> parts(String description, boolean unproven) {
        List<String> out = new ArrayList<>();
        for (String part : description.split("; (?=TLS certificate|HTTP user|UNVERIFIED|UNKNOWN)")) {
            if (part.isBlank()) {
                continue;
            }
            boolean claimed = part.startsWith("UNVERIFIED") || part.startsWith("UNKNOWN");
            if (claimed == unproven) {
                out.add(part);
            }
        }
        return out;
    }
}
