package org.est4j.jaxrs;

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

/** Minimal servlet request/response stand-ins (java.lang.reflect.Proxy) for testing a filter alone. */
public final class Servlets {

    private Servlets() {
    }

    public static final class Request {
        public final Map<String, List<String>> headers = new LinkedHashMap<>();
        public final Map<String, Object> attributes = new HashMap<>();
        public String remoteAddress = "127.0.0.1";
        public int localPort = 8081;
        public String requestUri = "/.well-known/est/simpleenroll";
        public String queryString;
        /** The path below the servlet's mapping, as a filter on {@code /.well-known/est/*} sees it. */
        public String pathInfo = "/simpleenroll";

        public Request header(String name, String value) {
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

        public HttpServletRequest servlet() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getRemoteAddr" -> remoteAddress;
                        case "getRequestURI" -> requestUri;
                        case "getQueryString" -> queryString;
                        case "getPathInfo" -> pathInfo;
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

    public static final class Response {
        public int status = 200;
        public String contentType;
        public final Map<String, List<String>> headers = new LinkedHashMap<>();
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        public boolean committed;

        private void set(String name, String value) {
            headers.keySet().removeIf(name::equalsIgnoreCase);
            headers.put(name, new ArrayList<>(List.of(value)));
            if (name.equalsIgnoreCase("Content-Type")) {
                contentType = value;
            }
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public HttpServletResponse servlet() {
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
                        case "getStatus" -> status;
                        case "setContentType" -> {
                            set("Content-Type", (String) args[0]);
                            yield null;
                        }
                        case "setContentLength" -> {
                            set("Content-Length", args[0].toString());
                            yield null;
                        }
                        case "setHeader" -> {
                            set((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "addHeader" -> {
                            headers.computeIfAbsent((String) args[0], n -> new ArrayList<>()).add((String) args[1]);
                            yield null;
                        }
                        case "getHeader" -> header((String) args[0]);
                        case "isCommitted" -> committed;
                        case "flushBuffer" -> {
                            committed = true;
                            yield null;
                        }
                        case "resetBuffer" -> {
                            body.reset();
                            yield null;
                        }
                        case "reset" -> {
                            body.reset();
                            headers.clear();
                            contentType = null;
                            status = 200;
                            yield null;
                        }
                        case "getOutputStream" -> out;
                        case "toString" -> "fake response";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        public String text() {
            return body.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
