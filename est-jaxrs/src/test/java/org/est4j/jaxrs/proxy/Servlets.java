package org.est4j.jaxrs.proxy;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
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

/** Minimal servlet request/response stand-ins (java.lang.reflect.Proxy) for testing the filter alone. */
final class Servlets {

    private Servlets() {
    }

    static final class Request {
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        String remoteAddress = "127.0.0.1";
        int localPort = 8081;

        Request header(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        private List<String> values(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }

        HttpServletRequest servlet() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getRemoteAddr" -> remoteAddress;
                        case "getLocalPort" -> localPort;
                        case "getHeader" -> values((String) args[0]).isEmpty() ? null : values((String) args[0]).get(0);
                        case "getHeaders" -> Collections.enumeration(values((String) args[0]));
                        case "getHeaderNames" -> Collections.enumeration(new ArrayList<>(headers.keySet()));
                        case "getIntHeader" -> values((String) args[0]).isEmpty() ? -1 : Integer.parseInt(values((String) args[0]).get(0));
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "toString" -> "fake request";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    static final class Response {
        int status = 200;
        String contentType;
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
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "setContentType" -> {
                            contentType = (String) args[0];
                            yield null;
                        }
                        case "setContentLength" -> null;
                        case "getOutputStream" -> out;
                        case "toString" -> "fake response";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        String text() {
            return body.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
