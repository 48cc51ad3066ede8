package org.est4j.jaxrs.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.est4j.jaxrs.EstProtocolException;

/**
 * Reads a request body up to a limit, refusing a larger one with 413 before any of it is parsed:
 * first by the declared {@code Content-Length}, then by counting (for chunked requests).
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /** Refuses a body whose declared length is over {@code max} (call before authenticating: it is free). */
    public static void checkDeclaredLength(long contentLength, int max) {
        if (contentLength > max) {
            throw tooLarge(max);
        }
    }

    /** Reads all of {@code in}, at most {@code max} bytes. */
    public static byte[] read(InputStream in, int max) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
            byte[] buffer = new byte[8192];
            int total = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > max) {
                    throw tooLarge(max);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw EstProtocolException.badRequest("the request body could not be read completely");
        }
    }

    private static EstProtocolException tooLarge(int max) {
        return new EstProtocolException(413, "the request body is larger than the limit of " + max + " bytes");
    }
}
