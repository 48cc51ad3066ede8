package org.est4j.jaxrs.packages;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the independent decoders of the tests ({@code /usr/bin/python3}, {@code openssl}) and returns what they print. */
final class External {

    private External() {
    }

    /** {@code python3 -c script}, {@code stdin} on standard input; fails the test on a non-zero exit. */
    static String python(String script, byte[] stdin) {
        return new String(run(List.of("/usr/bin/python3", "-c", script), stdin), StandardCharsets.UTF_8);
    }

    static byte[] openssl(byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    static byte[] run(List<String> command, byte[] stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errors = new Thread(() -> copy(p.getErrorStream(), err));
            errors.start();
            Thread input = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the process may not read its input
                }
            });
            input.start();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            errors.join();
            input.join();
            if (rc != 0) {
                throw new AssertionError(command.get(0) + " " + (command.size() > 1 ? command.get(1) : "") + " failed (" + rc + "): "
                        + err.toString(StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the process ended
        }
    }
}
