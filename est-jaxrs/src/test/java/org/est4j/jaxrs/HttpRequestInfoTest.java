package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

/** What {@link HttpRequestInfo#from} takes from a servlet request for the package availability list. */
class HttpRequestInfoTest {

    private static HttpServletRequest request(String url, String uri, String contextPath, List<String> accept) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpRequestInfoTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURL" -> new StringBuffer(url);
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> contextPath;
                    case "getHeaders" -> Collections.enumeration("Accept".equals(args[0]) ? accept : List.of());
                    case "getMethod" -> "GET";
                    case "getRemoteAddr" -> "192.0.2.1";
                    case "getContentLengthLong" -> -1L;
                    default -> null;
                });
    }

    @Test
    void theEstBaseIsTheUrlTheClientUsedUpToWellKnownEst() {
        HttpRequestInfo info = HttpRequestInfo.from(request("https://est.example:8443/.well-known/est/iot/pal",
                "/.well-known/est/iot/pal", "", List.of()));
        assertEquals("https://est.example:8443/.well-known/est", info.estBase());
        assertNull(info.accept());
    }

    @Test
    void aContextPathIsKept() {
        HttpRequestInfo info = HttpRequestInfo.from(request("http://[2001:db8::1]/est4j/.well-known/est/pal",
                "/est4j/.well-known/est/pal", "/est4j", List.of()));
        assertEquals("http://[2001:db8::1]/est4j/.well-known/est", info.estBase());
    }

    @Test
    void severalAcceptFieldsAreOneList() {
        HttpRequestInfo info = HttpRequestInfo.from(request("https://h/.well-known/est/pal", "/.well-known/est/pal", "",
                List.of("application/json;q=0.5", "application/xml")));
        assertEquals("application/json;q=0.5, application/xml", info.accept());
    }
}
