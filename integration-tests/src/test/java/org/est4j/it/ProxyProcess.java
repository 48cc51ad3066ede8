package org.est4j.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real TLS terminator from Debian's packages, started from the configuration file shipped in
 * {@code docs/proxies/} with its placeholders filled in, and stopped by its process. The tests use the
 * shipped files unchanged otherwise, so the documentation cannot drift from what is tested.
 */
final class ProxyProcess implements AutoCloseable {

    enum Kind {
        NGINX("nginx.conf", "/usr/sbin/nginx", "nginx"),
        APACHE("apache.conf", "/usr/sbin/apache2", "apache"),
        HAPROXY("haproxy.cfg", "/usr/sbin/haproxy", "haproxy");

        final String file;
        final String binary;
        /** est4j's proxy.client-cert.format for this proxy's header */
        final String format;

        Kind(String file, String binary, String format) {
            this.file = file;
            this.binary = binary;
            this.format = format;
        }
    }

    private final Kind kind;
    private final Process process;
    private final int port;
    private final Path runDir;

    private ProxyProcess(Kind kind, Process process, int port, Path runDir) {
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.runDir = runDir;
    }

    /** Whether the proxy is installed; on CI its absence is a failure, not a reason to skip. */
    static boolean installed(Kind kind) {
        return Files.isExecutable(Path.of(kind.binary));
    }

    static ProxyProcess start(Kind kind, Path estHome, int backendPort) throws IOException, InterruptedException {
        Path configs = Path.of(System.getProperty("est.it.proxy.configs"));
        Path runDir = Path.of("target", "proxies", kind.name().toLowerCase()).toAbsolutePath();
        Scratch.deleteTree(runDir);
        Files.createDirectories(runDir);
        int port = Scratch.freePort();
        String config = Files.readString(configs.resolve(kind.file), StandardCharsets.UTF_8)
                .replace("@LISTEN_PORT@", Integer.toString(port))
                .replace("@BACKEND_PORT@", Integer.toString(backendPort))
                .replace("@EST_HOME@", estHome.toAbsolutePath().toString())
                .replace("@RUN_DIR@", runDir.toString());
        Path configFile = runDir.resolve(kind.file);
        Files.writeString(configFile, config, StandardCharsets.UTF_8);
        List<String> command = switch (kind) {
            case NGINX -> List.of(kind.binary, "-c", configFile.toString(), "-g", "daemon off;");
            case APACHE -> List.of(kind.binary, "-f", configFile.toString(), "-DFOREGROUND");
            case HAPROXY -> {
                // HAProxy wants certificate and key in one file (docs/proxies/haproxy.cfg says how to make it)
                Files.write(runDir.resolve("haproxy.pem"), concat(Files.readAllBytes(estHome.resolve("tls-server.pem")),
                        Files.readAllBytes(estHome.resolve("tls-server-key.pem"))));
                yield List.of(kind.binary, "-db", "-f", configFile.toString());
            }
        };
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(runDir.resolve("console.log").toFile())
                .start();
        ProxyProcess proxy = new ProxyProcess(kind, process, port, runDir);
        proxy.awaitListening();
        return proxy;
    }

    int port() {
        return port;
    }

    private void awaitListening() throws IOException, InterruptedException {
        // bounded wait for the listening socket (a readiness probe, not a timing assertion)
        for (int i = 0; i < 100; i++) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind + " exited at start-up with " + process.exitValue() + ":\n" + diagnostics());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException(kind + " did not listen on " + port + ":\n" + diagnostics());
    }

    String diagnostics() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(runDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                sb.append("--- ").append(f.getFileName()).append('\n').append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: nginx, httpd and haproxy all stop their workers on it
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
