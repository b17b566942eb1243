package io.sensorpipe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/check-file's checks, run in-process against real sample files, with no broker and no database. */
class CheckFileTest {

    private static final Map<String, String> ONBOARDED = Map.of("pipeline.sources.files",
            "classpath:sources.yaml,classpath:onboarding/sources.yaml");

    @TempDir
    Path dir;

    private record Result(int status, String output) {
    }

    private static Result run(Map<String, String> settings, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = CheckFile.run(args, settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private static String sample(String name) throws Exception {
        return Path.of(CheckFileTest.class.getResource("/onboarding/" + name).toURI()).toString();
    }

    @Test
    void aSampleOfAConfiguredSourceShowsItsSourceStoredRowsAndRejections() throws Exception {
        Result r = run(ONBOARDED, sample("us-weather-2024-07-04.csv"));

        assertEquals(CheckFile.MATCHED, r.status(), r.output());
        String out = r.output();
        assertTrue(out.contains("us-weather-2024-07-04.csv: source us-weather, version 2026-11-29.1"), out);
        assertTrue(out.contains("ISO-8859-1, 2 lines before the header skipped"), out);
        assertTrue(out.contains("temperature  <- column 'Temp (°F)', converted to C, plausible -50..50 C, required"), out);
        assertTrue(out.contains("rows: 5 read, 3 valid, 2 rejected, 0 blank lines skipped"), out);
        assertTrue(out.contains("line | sensor_id | timestamp UTC | pressure hPa | temperature C | humidity %"), out);
        assertTrue(out.contains("  4 | 301 | 2024-07-04T18:00:00Z | 1013.25 | 25 | 55\n"), out);
        assertTrue(out.contains("  6 | 302 | 2024-07-04T18:00:00Z | 950 | -40 | 80\n"), out);
        assertTrue(out.contains("  line 7: Temp (°F) 140 (60.0 C) is outside -50..50 C\n      302,07/04/2024 15:00,140,101,30"), out);
        assertTrue(out.contains("The pipeline would load 3 rows and quarantine 2, each with its reasons."), out);
    }

    @Test
    void rowsAreLimitedAndAFileNameGroupIsShownWithItsValue() throws Exception {
        Result r = run(ONBOARDED, "--rows", "1", sample("station-4711_2024-05-01.csv"));

        assertEquals(CheckFile.MATCHED, r.status(), r.output());
        assertTrue(r.output().contains("sensor_id    <- the file name's group 'station': 4711"), r.output());
        assertTrue(r.output().contains("  2 | 4711 | 48.2082 | 16.3738 | 2024-04-30T22:00:00Z | 12.5 | 7.25\n"), r.output());
        assertTrue(!r.output().contains("  3 | 4711"), "one row shown: " + r.output());
        assertTrue(r.output().contains("  line 4: pm10 1.2 (1200.0 ug/m3) is outside 0..1000 ug/m3"), r.output());
        assertTrue(!r.output().contains("  line 5:"), "one rejected row shown: " + r.output());
    }

    @Test
    void aFileNoSourceTakesSaysWhyAndThatItWouldBeQuarantined() throws Exception {
        Path file = Files.writeString(dir.resolve("odd.csv"), "station;when;wind\n1;2024-01-01T00:00:00;3\n");

        Result r = run(Map.of(), file.toString());

        assertEquals(CheckFile.QUARANTINED, r.status(), r.output());
        assertTrue(r.output().contains("odd.csv: matches no source; the pipeline would quarantine it whole:"), r.output());
        assertTrue(r.output().contains("unknown header 'station;when;wind': no source has these columns"), r.output());
    }

    @Test
    void aFileWithTooManyRejectedRowsWouldBeQuarantinedWhole() throws Exception {
        Path file = Files.writeString(dir.resolve("mostly-bad.csv"), "sensor_id,location,lat,lon,timestamp,P1,P2\n"
                + "1,2,42.1,23.3,2017-07-01T00:00:00,5,3\n"
                + "1,2,42.1,23.3,2017-07-01T00:01:00,-5,3\n"
                + "1,2,42.1,23.3,not a time,5,3\n");

        Result r = run(Map.of(), file.toString());

        assertEquals(CheckFile.QUARANTINED, r.status(), r.output());
        assertTrue(r.output().contains("mostly-bad.csv: source sofia-particulate"), r.output());
        assertTrue(r.output().contains("The pipeline would quarantine the file whole: 2 of 3 rows rejected (66.7 %), above"
                + " the limit of 50 %"), r.output());
    }

    @Test
    void anInvalidConfigurationIsListedProblemByProblem() throws Exception {
        Result r = run(Map.of("pipeline.sources.files", "classpath:sources.yaml,classpath:sources-check/broken.yaml"),
                sample("us-weather-2024-07-04.csv"));

        assertEquals(CheckFile.INVALID_CONFIGURATION, r.status(), r.output());
        assertTrue(r.output().startsWith("The configuration is invalid:\n  Invalid sources ("), r.output());
        assertTrue(r.output().contains("\n  classpath:sources-check/broken.yaml: sources.careless.version is missing"),
                r.output());
    }

    @Test
    void withoutAFileItSaysHowToUseIt() {
        assertEquals(CheckFile.USAGE, run(Map.of()).status());
        assertEquals(CheckFile.USAGE, run(Map.of(), "--rows").status());
    }
}
