package org.est4j.jaxrs.packages;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.est4j.jaxrs.EstProtocolException;

/**
 * The {@code ?id=} of a package GET, which picks one of several packages of a kind: the package availability list
 * gives each its own URL this way ({@code .../firmware?id=<id>}).
 */
final class PackageQuery {

    static final String ID = "id";

    private PackageQuery() {
    }

    /** {@code id} percent-encoded for a query (a space as {@code %20}, so the URL means the same to any URI parser). */
    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The {@code id} parameter of the request target's query, decoded; other parameters are ignored.
     *
     * @throws EstProtocolException 400 when it is given twice, is empty, or is not valid percent-encoded UTF-8
     */
    static Optional<String> id(String requestTarget) {
        int q = requestTarget.indexOf('?');
        if (q < 0) {
            return Optional.empty();
        }
        Optional<String> id = Optional.empty();
        for (String parameter : requestTarget.substring(q + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            if (!name.equals(ID)) {
                continue;
            }
            if (id.isPresent()) {
                throw EstProtocolException.badRequest("the query gives the package id more than once");
            }
            String value = eq < 0 ? "" : parameter.substring(eq + 1);
            String decoded;
            try {
                decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw EstProtocolException.badRequest("the package id in the query is not percent-encoded correctly");
            }
            if (decoded.isEmpty()) {
                throw EstProtocolException.badRequest("the package id in the query is empty");
            }
            if (decoded.indexOf('\uFFFD') >= 0 && !value.contains("%EF%BF%BD") && !value.contains("%ef%bf%bd")) {
                throw EstProtocolException.badRequest("the package id in the query is not UTF-8");
            }
            id = Optional.of(decoded);
        }
        return id;
    }
}
