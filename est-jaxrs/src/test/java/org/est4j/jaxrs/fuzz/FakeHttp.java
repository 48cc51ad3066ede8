package org.est4j.jaxrs.fuzz;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Servlet request and response stand-ins (java.lang.reflect.Proxy) for running a servlet filter
 * without a container: after the test helper proxy/Servlets, which is package-private there.
 */
final class FakeHttp {

    private FakeHttp() {
    }

    /** A request from {@code remoteAddress}; header names are case-insensitive, a name may repeat. */
    static final class Request {
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        private final String remoteAddress;

        Request(String remoteAddress) {
            this.remoteAddress = remoteAddress;
        }

        void header(String name, String value) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    e.getValue().add(value);
                    return;
                }
            }
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }

        List<String> values(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }

        HttpServletRequest servlet() {
            return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getRemoteAddr" -> remoteAddress;
                        case "getLocalPort" -> 8443;
                        case "getHeader" -> values((String) args[0]).isEmpty() ? null : values((String) args[0]).get(0);
                        case "getHeaders" -> Collections.enumeration(values((String) args[0]));
                        case "getHeaderNames" -> Collections.enumeration(new ArrayList<>(headers.keySet()));
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "toString" -> "fake request";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("FakeHttp.Request." + method.getName());
                    });
        }
    }

    /** Records the status and body a filter sends. */
    static final class Response {
        Integer status;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse servlet() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "setContentType", "setContentLength" -> null;
                        case "getOutputStream" -> out;
                        case "toString" -> "fake response";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("FakeHttp.Response." + method.getName());
                    });
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
