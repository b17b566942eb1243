package io.sensorpipe.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sensorpipe.loadgen.SofiaRows;

/**
 * {@code bin/loadgen} as a user runs it, against the packaged application's classes: files moved into a
 * folder, with copies, and a usage message for wrong arguments. (Its uploads are run by
 * LoadGeneratorTest and by the benchmark's stress test.)
 */
class LoadgenIT {

    private record Run(int status, String output) {
    }

    private static Run loadgen(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bin/loadgen"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "loadgen ends");
        return new Run(process.exitValue(), output);
    }

    @Test
    void filesAreMovedIntoAFolderWithTheirCopies() throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "loadgen-it", "run-" + System.nanoTime()));

        Run run = loadgen("--folder", folder.toString(), "--files", "12", "--rows", "20", "--duplicates", "0.25",
                "--concurrency", "3", "--seed", "5", "--prefix", "lg");

        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().startsWith("12 files ("), run.output());
        try (var files = Files.list(folder)) {
            List<Path> csv = files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList();
            assertEquals(12, csv.size(), "every file moved in whole, no staging file left: " + csv);
            for (Path file : csv) {
                List<String> lines = Files.readAllLines(file);
                assertEquals(SofiaRows.HEADER, lines.get(0));
                assertEquals(21, lines.size(), file.toString());
            }
        }
    }

    @Test
    void wrongArgumentsGetTheUsage() throws Exception {
        Run run = loadgen("--files", "3");

        assertEquals(64, run.status(), run.output());
        assertTrue(run.output().startsWith("usage: loadgen (--folder DIR | --url http://HOST:PORT/ingest [--token T])"),
                run.output());
    }
}
