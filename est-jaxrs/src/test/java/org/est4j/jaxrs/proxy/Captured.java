package org.est4j.jaxrs.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Header values in the shape each proxy writes them (formats as observed from the real proxies, see stack.md). */
public final class Captured {

    private Captured() {
    }

    public static String pem(X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            try {
                sb.append("-----BEGIN CERTIFICATE-----\n")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }

    /** Percent-encodes everything but unreserved characters, as nginx's $ssl_client_escaped_cert does. */
    static String nginx(X509Certificate c) {
        return percent(pem(c), "");
    }

    /** AWS ALB: like nginx but '+', '=' and '/' stay literal. */
    static String alb(X509Certificate... chain) {
        return percent(pem(chain), "+=/");
    }

    /** Apache mod_ssl via RequestHeader: PEM with the line breaks turned into spaces. */
    static String apache(X509Certificate c) {
        return pem(c).strip().replace('\n', ' ');
    }

    /** nginx's legacy $ssl_client_cert: continuation lines start with a tab (folded to one line on the wire). */
    static String nginxLegacy(X509Certificate c) {
        return pem(c).strip().replace("\n", " \t");
    }

    static String haproxy(X509Certificate c) throws Exception {
        return Base64.getEncoder().encodeToString(c.getEncoded());
    }

    static String sfBinary(X509Certificate c) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(c.getEncoded()) + ":";
    }

    static String envoy(X509Certificate leaf, List<X509Certificate> chain) {
        return "By=spiffe://cluster.local/ns/est/sa/est4j;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;"
                + "Cert=\"" + percent(pem(leaf), "") + "\";Chain=\"" + percent(pem(chain.toArray(X509Certificate[]::new)), "")
                + "\";Subject=\"CN=device,O=Example, Inc.\";URI=;DNS=device.example";
    }

    /** Percent-encoding of all but unreserved characters (nginx); {@code safe} stay literal (AWS ALB: "+=/"). */
    public static String percent(String s, String safe) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            char c = (char) b;
            if (Character.isLetterOrDigit(c) || "-_.~".indexOf(c) >= 0 || safe.indexOf(c) >= 0) {
                out.write(b);
            } else {
                out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
