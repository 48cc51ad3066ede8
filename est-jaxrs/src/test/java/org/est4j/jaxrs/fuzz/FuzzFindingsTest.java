package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The last step of the {@code fuzz} profile: fails the build when any target left a finding (libFuzzer
 * writes crash-, timeout-, oom-, leak- and slow-unit- files under the artifact prefix). The fuzzing
 * executions themselves keep going after a finding (jazzer.keep_going) and so report success; this is
 * where the findings of the whole run are listed. Skipped in ordinary builds.
 */
@EnabledIfSystemProperty(named = "fuzz.findings", matches = ".+")
class FuzzFindingsTest {

    private static final List<String> KINDS = List.of("-crash-", "-timeout-", "-oom-", "-leak-", "-slow-unit-");

    @Test
    void noTargetLeftAFinding() throws IOException {
        Path dir = Path.of(System.getProperty("fuzz.findings"));
        List<String> findings;
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            findings = files.map(p -> p.getFileName().toString()).filter(n -> KINDS.stream().anyMatch(n::contains)).sorted().toList();
        }
        assertEquals(List.of(), findings, "findings in " + dir + " (inputs named <Class>-<method>-<kind>-<sha1>; "
                + "reproduce one with JAZZER_FUZZ unset by copying it into the target's seed directory, see FUZZING.md; "
                + "mvn clean removes them)");
    }
}
