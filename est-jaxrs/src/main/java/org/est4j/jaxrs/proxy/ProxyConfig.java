package org.est4j.jaxrs.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of {@link ClientCertificateFilter}. The same keys serve as filter init-params in
 * {@code web.xml} and as {@code proxy.*} keys of {@code est4j.properties} (the WAR registers the
 * filter with them), and this class is their only parser.
 *
 * <pre>
 * proxy.trusted-addresses          addresses / CIDR blocks of the TLS terminators; empty = filter off
 * proxy.local-ports                optional: connector ports on which forwarded identity is accepted
 * proxy.client-cert.format         nginx | nginx-legacy | apache | haproxy | rfc9440 | envoy | aws-alb
 * proxy.client-cert.header         the certificate header (default per format)
 * proxy.client-cert.chain-header   apache: prefix of SSL_CLIENT_CERT_CHAIN_n headers; rfc9440: Client-Cert-Chain
 * proxy.client-cert.verify-header  the proxy's verify result (advisory: est4j validates anyway)
 * proxy.client-cert.max-chain-length  default 10
 * proxy.client-cert.precedence     proxy (default) | container: which certificate counts when both exist
 * proxy.forwarded-proto-header     e.g. X-Forwarded-Proto; anything but "https" is refused (403)
 * proxy.channel-binding-header     e.g. X-SSL-Channel-Binding (HAProxy %[ssl_fc_unique_id,base64])
 * proxy.tls-protocol-header        e.g. X-SSL-Protocol (HAProxy %[ssl_fc_protocol])
 * </pre>
 */
public record ProxyConfig(TrustedAddresses trusted, Set<Integer> localPorts, ForwardedCertificateFormat format,
                          String header, String chainHeader, String verifyHeader, int maxChainLength,
                          boolean containerFirst, String forwardedProtoHeader, String channelBindingHeader,
                          String tlsProtocolHeader) {

    public static final String PREFIX = "proxy.";
    private static final Set<String> KEYS = Set.of("proxy.trusted-addresses", "proxy.local-ports", "proxy.client-cert.format",
            "proxy.client-cert.header", "proxy.client-cert.chain-header", "proxy.client-cert.verify-header",
            "proxy.client-cert.max-chain-length", "proxy.client-cert.precedence", "proxy.forwarded-proto-header",
            "proxy.channel-binding-header", "proxy.tls-protocol-header");

    public ProxyConfig {
        localPorts = Set.copyOf(localPorts);
    }

    /** Whether the filter has anything to do (a trusted proxy is configured). */
    public static boolean enabled(Map<String, String> settings) {
        String trusted = settings.get("proxy.trusted-addresses");
        return trusted != null && !trusted.isBlank();
    }

    /**
     * Parses and validates the {@code proxy.*} settings.
     *
     * @throws IllegalArgumentException whose message names the key and what it expects
     */
    public static ProxyConfig parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (proxy keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        TrustedAddresses trusted;
        try {
            trusted = TrustedAddresses.parse(settings.get("proxy.trusted-addresses"));
        } catch (IllegalArgumentException e) {
            throw bad("proxy.trusted-addresses", e.getMessage());
        }
        String formatName = settings.get("proxy.client-cert.format");
        if (formatName == null || formatName.isBlank()) {
            throw bad("proxy.client-cert.format", "the header format must be set explicitly when trusted proxies are configured: "
                    + formats());
        }
        ForwardedCertificateFormat format;
        try {
            format = ForwardedCertificateFormat.fromConfig(formatName);
        } catch (IllegalArgumentException e) {
            throw bad("proxy.client-cert.format", "'" + formatName + "': " + e.getMessage());
        }
        Set<Integer> ports = new LinkedHashSet<>();
        String portList = settings.get("proxy.local-ports");
        if (portList != null) {
            for (String p : portList.split(",")) {
                if (p.isBlank()) {
                    continue;
                }
                try {
                    int port = Integer.parseInt(p.strip());
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    throw bad("proxy.local-ports", "'" + p.strip() + "' is not a port number");
                }
            }
        }
        int maxChain = 10;
        String max = settings.get("proxy.client-cert.max-chain-length");
        if (max != null) {
            try {
                maxChain = Integer.parseInt(max.strip());
            } catch (NumberFormatException e) {
                maxChain = -1;
            }
            if (maxChain < 1 || maxChain > 20) {
                throw bad("proxy.client-cert.max-chain-length", "a whole number from 1 to 20");
            }
        }
        String precedence = settings.getOrDefault("proxy.client-cert.precedence", "proxy").strip().toLowerCase(Locale.ROOT);
        if (!precedence.equals("proxy") && !precedence.equals("container")) {
            throw bad("proxy.client-cert.precedence", "proxy or container");
        }
        return new ProxyConfig(trusted, ports, format, headerName(settings, "proxy.client-cert.header", format.defaultHeader()),
                headerName(settings, "proxy.client-cert.chain-header", null),
                headerName(settings, "proxy.client-cert.verify-header", null), maxChain, precedence.equals("container"),
                headerName(settings, "proxy.forwarded-proto-header", null),
                headerName(settings, "proxy.channel-binding-header", null),
                headerName(settings, "proxy.tls-protocol-header", null));
    }

    /** Whether a request from {@code remoteAddress} arriving on {@code localPort} may carry forwarded identity. */
    public boolean isTrustedPeer(String remoteAddress, int localPort) {
        return trusted.contains(remoteAddress) && (localPorts.isEmpty() || localPorts.contains(localPort));
    }

    /** Whether {@code name} is one of the headers this configuration reads (hidden from everything downstream). */
    public boolean isForwardedHeader(String name) {
        if (name == null) {
            return false;
        }
        for (String h : exactHeaders()) {
            if (h.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return format == ForwardedCertificateFormat.APACHE && chainHeader != null
                && name.toLowerCase(Locale.ROOT).startsWith(chainHeader.toLowerCase(Locale.ROOT));
    }

    ForwardedCertificateFormat.Settings parserSettings() {
        return new ForwardedCertificateFormat.Settings(header, chainHeader, maxChainLength);
    }

    private List<String> exactHeaders() {
        List<String> names = new ArrayList<>();
        names.add(header);
        if (format == ForwardedCertificateFormat.AWS_ALB) {
            names.add(header + "-Leaf");
        }
        if (format == ForwardedCertificateFormat.RFC9440) {
            names.add(chainHeader == null ? "Client-Cert-Chain" : chainHeader);
        }
        for (String h : new String[] {verifyHeader, forwardedProtoHeader, channelBindingHeader, tlsProtocolHeader}) {
            if (h != null) {
                names.add(h);
            }
        }
        return names;
    }

    private static String headerName(Map<String, String> settings, String key, String fallback) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        if (!v.strip().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw bad(key, "an HTTP header name");
        }
        return v.strip();
    }

    private static String formats() {
        return java.util.Arrays.stream(ForwardedCertificateFormat.values()).map(ForwardedCertificateFormat::configName)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static IllegalArgumentException bad(String key, String expected) {
        return new IllegalArgumentException("'" + key + "': " + expected);
    }
}
