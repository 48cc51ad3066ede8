package org.est4j.jaxrs.proxy;

import java.util.List;

/** Read access to request headers (all values of a name, case-insensitive), so parsers run without a container. */
@FunctionalInterface
public interface HeaderSource {

    /** Every value of header {@code name} in order; empty when absent. */
    List<String> values(String name);

    /** The single value of {@code name}, or null when absent. */
    default String single(String name) throws ForwardedHeaderException {
        List<String> v = values(name);
        if (v.size() > 1) {
            throw new ForwardedHeaderException("the " + name + " header appears " + v.size() + " times; exactly one is allowed");
        }
        return v.isEmpty() ? null : v.get(0);
    }
}
