package org.est4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link RawCryptoBenchmark} with short settings and prints one parseable line per result:
 * <pre>jmh benchmark=raw provider=accp ca=EC-P256 csr=EC-P256 threads=2 ops_s=1234.5 error=12.3</pre>
 *
 * <p>Options ({@code --name value}): {@code --providers bouncycastle,jdk,accp,conscrypt} (those that do not
 * load are left out), {@code --ca EC-P256,RSA-3072}, {@code --csr EC-P256,RSA-2048},
 * {@code --benchmarks raw,enrollPath}, {@code --threads 1,2}, {@code --forks 1}, {@code --warmup 3},
 * {@code --iterations 3}, {@code --seconds 5}. The defaults are those values.
 */
public final class RawCryptoMain {

    private RawCryptoMain() {
    }

    public static void main(String[] args) throws Exception {
        String providers = "bouncycastle,jdk,accp,conscrypt";
        String ca = "EC-P256,RSA-3072";
        String csr = "EC-P256,RSA-2048";
        String benchmarks = "raw,enrollPath";
        String threads = "1,2";
        int forks = 1;
        int warmup = 3;
        int iterations = 3;
        int seconds = 5;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--providers": providers = v; i++; break;
                case "--ca": ca = v; i++; break;
                case "--csr": csr = v; i++; break;
                case "--benchmarks": benchmarks = v; i++; break;
                case "--threads": threads = v; i++; break;
                case "--forks": forks = Integer.parseInt(v); i++; break;
                case "--warmup": warmup = Integer.parseInt(v); i++; break;
                case "--iterations": iterations = Integer.parseInt(v); i++; break;
                case "--seconds": seconds = Integer.parseInt(v); i++; break;
                default:
                    System.err.println("unknown option " + args[i] + "; see the class comment of " + RawCryptoMain.class.getName());
                    System.exit(2);
            }
        }
        List<String> usable = new ArrayList<>();
        for (String p : providers.split(",")) {
            try {
                Providers.load(p);
                usable.add(p);
            } catch (RuntimeException e) {
                System.out.println("# provider " + p + " skipped: " + e.getMessage());
            }
        }
        if (usable.isEmpty()) {
            System.err.println("no provider loads");
            System.exit(1);
        }
        List<String> lines = new ArrayList<>();
        for (String t : threads.split(",")) {
            ChainedOptionsBuilder o = new OptionsBuilder()
                    .forks(forks)
                    .warmupIterations(warmup).warmupTime(TimeValue.seconds(seconds))
                    .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                    .threads(Integer.parseInt(t))
                    .shouldFailOnError(false)
                    .jvmArgsAppend("-Xms512m", "-Xmx512m")
                    .param("provider", usable.toArray(String[]::new))
                    .param("caKey", ca.split(","))
                    .param("csrKey", csr.split(","));
            for (String b : benchmarks.split(",")) {
                o.include(RawCryptoBenchmark.class.getName() + "\\." + b + "$");
            }
            Collection<RunResult> results = new Runner(o.build()).run();
            for (RunResult r : results) {
                var p = r.getParams();
                String name = p.getBenchmark().substring(p.getBenchmark().lastIndexOf('.') + 1);
                lines.add(String.format(Locale.ROOT, "jmh benchmark=%s provider=%s ca=%s csr=%s threads=%s ops_s=%.1f error=%.1f",
                        name, p.getParam("provider"), p.getParam("caKey"), p.getParam("csrKey"), t,
                        r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
            }
        }
        System.out.println();
        lines.forEach(System.out::println);
    }
}
