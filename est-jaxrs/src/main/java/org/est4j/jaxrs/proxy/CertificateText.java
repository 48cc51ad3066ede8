package org.est4j.jaxrs.proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.util.encoders.Base64;

/**
 * The encodings proxies use for certificates in headers: percent-encoding, PEM whose line breaks a
 * proxy turned into spaces or tabs, and bare base64 DER.
 */
final class CertificateText {

    static final int MAX_HEADER_CHARS = 64 * 1024;
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private CertificateText() {
    }

    static void checkLength(String name, String value) throws ForwardedHeaderException {
        if (value.length() > MAX_HEADER_CHARS) {
            throw new ForwardedHeaderException("the " + name + " header is longer than " + MAX_HEADER_CHARS + " characters");
        }
    }

    /**
     * Decodes %XX escapes only. Unlike {@code URLDecoder}, a literal '+' stays '+': AWS ALB leaves
     * '+', '=' and '/' unescaped, and turning '+' into a space would corrupt the base64 inside.
     */
    static String percentDecode(String name, String value) throws ForwardedHeaderException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0 || Character.digit(value.charAt(i + 2), 16) < 0) {
                    throw new ForwardedHeaderException("the " + name + " header has an invalid %-escape");
                }
                out.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
                i += 2;
            } else if (c > 0x7e) {
                throw new ForwardedHeaderException("the " + name + " header contains non-ASCII characters");
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Every PEM certificate in {@code text}, whatever whitespace separates its lines. */
    static List<X509Certificate> pem(String name, String text, int max) throws ForwardedHeaderException {
        List<X509Certificate> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                break;
            }
            int end = text.indexOf(END, begin + BEGIN.length());
            if (end < 0) {
                throw new ForwardedHeaderException("the " + name + " header has a PEM certificate without its END line");
            }
            if (out.size() == max) {
                throw new ForwardedHeaderException("the " + name + " header carries more than " + max + (max == 1 ? " certificate" : " certificates"));
            }
            out.add(der(name, base64(name, text.substring(begin + BEGIN.length(), end))));
            from = end + END.length();
        }
        if (out.isEmpty() || !text.substring(from).isBlank() || !text.substring(0, text.indexOf(BEGIN)).isBlank()) {
            throw new ForwardedHeaderException("the " + name + " header is not a PEM certificate");
        }
        return out;
    }

    /** Base64 with any whitespace inside, as BouncyCastle decodes it. */
    static byte[] base64(String name, String text) throws ForwardedHeaderException {
        String compact = text.replaceAll("\\s+", "");
        if (compact.isEmpty() || compact.length() % 4 != 0 || !compact.matches("[A-Za-z0-9+/]+={0,2}")) {
            throw new ForwardedHeaderException("the " + name + " header is not valid base64");
        }
        try {
            return Base64.decode(compact);
        } catch (RuntimeException e) {
            throw new ForwardedHeaderException("the " + name + " header is not valid base64");
        }
    }

    static X509Certificate der(String name, byte[] der) throws ForwardedHeaderException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new ForwardedHeaderException("the " + name + " header does not hold a DER X.509 certificate");
        }
    }
}
