package io.sensorpipe.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/check-file} as a user runs it: the launcher against the packaged application, sources
 * named by the environment, no broker and no database anywhere.
 */
class CheckFileIT {

    private record Run(int status, String output) {
    }

    private static Run checkFile(String sourcesFiles, String file) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bin/check-file", file).redirectErrorStream(true);
        builder.environment().put("PIPELINE_SOURCES_FILES", sourcesFiles);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "check-file ends");
        return new Run(process.exitValue(), output);
    }

    @Test
    void aSampleFileIsCheckedAgainstSourcesNamedByTheEnvironment() throws Exception {
        String onboarding = Path.of("src/test/resources/onboarding").toAbsolutePath().toString();

        Run run = checkFile("classpath:sources.yaml," + onboarding + "/sources.yaml", onboarding + "/station-4711_2024-05-01.csv");

        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().startsWith("station-4711_2024-05-01.csv: source station-daily, version 2026-11-29.2\n"),
                run.output());
        assertTrue(run.output().contains("  6 | 4711 | 48.2082 | 16.3738 | 2024-05-01T02:00:00Z | 20.123 | 10.457\n"),
                run.output());
        assertTrue(run.output().contains("  line 5: pm2_5 'abc' is not a finite decimal number"), run.output());
    }

    @Test
    void invalidSourcesAreListedAndTheStatusSaysSo() throws Exception {
        String broken = Path.of("src/test/resources/sources-check/broken.yaml").toAbsolutePath().toString();

        Run run = checkFile("classpath:sources.yaml," + broken, "src/test/resources/onboarding/us-weather-2024-07-04.csv");

        assertEquals(2, run.status(), run.output());
        assertTrue(run.output().contains("sources.furlongs.quantities.temperature.unit: no conversion from 'furlongs' to C"),
                run.output());
    }
}
