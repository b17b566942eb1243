package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * Drops every file of the hostile corpus ({@code src/test/resources/hostile}) into the running
 * pipeline at once and checks each outcome against {@code hostile/expected.csv}; then checks that a
 * normal file is still loaded.
 */
@QuarkusTest
class HostileCorpusTest {

    record Expected(String file, String status, long rowsTotal, long rowsLoaded, long rowsQuarantined,
            String reason) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = HostileCorpusTest.class.getResourceAsStream("/hostile/" + name);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.startsWith("#") && !l.startsWith("file|")).toList();
        }
    }

    private static List<Expected> expectations() throws IOException {
        List<Expected> expected = new ArrayList<>();
        for (String line : resourceLines("expected.csv")) {
            String[] f = line.split("\\|", -1);
            expected.add(new Expected(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    f[5]));
        }
        return expected;
    }

    /** rejections.csv: per file, its rejected rows as "line|field/rule …". */
    private static Map<String, List<String>> rejections() throws IOException {
        Map<String, List<String>> rejections = new TreeMap<>();
        for (String line : resourceLines("rejections.csv")) {
            int bar = line.indexOf('|');
            rejections.computeIfAbsent(line.substring(0, bar), f -> new ArrayList<>()).add(line.substring(bar + 1));
        }
        return rejections;
    }

    /** The corpus files as the test reads them (target/test-classes/hostile). */
    private static Path corpus() throws Exception {
        return Path.of(HostileCorpusTest.class.getResource("/hostile/expected.csv").toURI()).getParent();
    }

    /** Each rejected row of an errors.jsonl report as "line|field/rule …", the pairs sorted. */
    private static List<String> reported(Path errors) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(errors)) {
            JsonNode entry = Json.MAPPER.readTree(line);
            Set<String> reasons = new TreeSet<>();
            entry.get("reasons").forEach(r -> reasons.add(r.get("field").asText() + "/" + r.get("rule").asText()));
            rows.add(entry.get("line").asLong() + "|" + String.join(" ", reasons));
        }
        return rows;
    }

    /** The name the file gets in the data folder: unique per run, its start and characters kept. */
    private static String dropName(String file, String run) {
        String name = file.replace("generated:", "");
        return name.substring(0, name.length() - 4) + "." + run + ".csv";
    }

    @Test
    void everyFileOfTheCorpusHasItsExpectations() throws Exception {
        Set<String> listed = new TreeSet<>();
        expectations().stream().map(Expected::file).filter(f -> !f.startsWith("generated:")).forEach(listed::add);
        Set<String> present = new TreeSet<>();
        try (var files = Files.list(corpus())) {
            files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("expected.csv") && !f.equals("rejections.csv"))
                    .forEach(present::add);
        }
        assertEquals(present, listed, "every file of src/test/resources/hostile has a line in expected.csv");
        Set<String> withRejections = new TreeSet<>();
        for (Expected e : expectations()) {
            boolean rowsRejected = e.rowsQuarantined() > 0 && ("LOADED".equals(e.status())
                    || e.reason().startsWith("above the limit"));
            if (rowsRejected) {
                withRejections.add(e.file());
                assertEquals(e.rowsQuarantined(), rejections().getOrDefault(e.file(), List.of()).size(),
                        e.file() + ": one line in rejections.csv per rejected row");
            }
        }
        assertEquals(withRejections, rejections().keySet(), "rejections.csv names the files with rejected rows");
    }

    @Test
    void everyHostileFileGetsItsExpectedOutcomeAndThePipelineCarriesOn() throws Exception {
        List<Expected> corpus = expectations();
        assertEquals(36, corpus.size(), "the corpus: the 35 files of src/test/resources/hostile and one generated");
        String run = Long.toString(System.nanoTime());
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        for (Expected e : corpus) {
            String name = dropName(e.file(), run);
            Path staged = Files.createTempFile(Path.of("target"), "hostile", ".part");
            if (e.file().equals("generated:five-megabyte-single-line.csv")) {
                byte[] line = new byte[5 * 1024 * 1024];
                java.util.Arrays.fill(line, (byte) 'x');
                Files.write(staged, line);
            } else {
                Files.copy(corpus().resolve(e.file()), staged, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }

        List<String> mismatches = new ArrayList<>();
        for (Expected e : corpus) {
            String name = dropName(e.file(), run);
            Map<String, Object> row = new IngestFiles(dataSource).awaitFinished(name);
            String actual = row.get("status") + "|" + row.get("rows_total") + "|" + row.get("rows_loaded") + "|"
                    + row.get("rows_quarantined");
            String wanted = e.status() + "|" + e.rowsTotal() + "|" + e.rowsLoaded() + "|" + e.rowsQuarantined();
            String error = (String) row.get("error");
            if (!actual.equals(wanted) || (!e.reason().isEmpty() && (error == null || !error.contains(e.reason())))) {
                mismatches.add(e.file() + ": expected " + wanted + " '" + e.reason() + "', was " + actual + " '" + error
                        + "'");
            }
            long id = (Long) row.get("id");
            long loaded = count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id);
            if (loaded != e.rowsLoaded()) {
                mismatches.add(e.file() + ": raw_sensor_data holds " + loaded + " rows");
            }
            if ("LOADED".equals(e.status()) && !new MetricsCheck(dataSource).mismatches(id).isEmpty()) {
                mismatches.add(e.file() + ": metrics differ from SQL");
            }
            if ("LOADED".equals(e.status()) && !e.file().startsWith("generated:")) {
                for (String difference : ExpectedReadings.differences(dataSource, id, corpus().resolve(e.file()))) {
                    mismatches.add(e.file() + ": " + difference);
                }
            }
            List<String> rejected = rejections().get(e.file());
            if (rejected != null) {
                Path errors = Path.of(config.quarantineDir(), name + ".errors.jsonl");
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(errors));
                if (!reported(errors).equals(rejected)) {
                    mismatches.add(e.file() + ": rejections " + reported(errors) + ", expected " + rejected);
                }
            }
        }
        assertEquals(List.of(), mismatches);
        // SQL in the file name reaches the database (ingest_file.file_name, error texts) and stays text.
        String sqlName = dropName("x'); DROP TABLE ingest_file; --.csv", run);
        assertEquals("LOADED", ingestFile(sqlName).get("status"), "found under its name, exactly as given");
        assertEquals(2, count("SELECT count(*) FROM pg_tables WHERE tablename IN ('reading', 'ingest_file')"
                + " AND ?::bigint = 0", 0), "the SQL text stayed text");
        // Formula cells are escaped in rejected.csv (OWASP), a line separator in errors.jsonl.
        String formulas = dropName("formula-cells.csv", run);
        assertEquals(List.of("sensor_id,location,lat,lon,timestamp,pressure,temperature,humidity",
                "'=cmd|' /C calc'!A0,1025,42.686,23.351,2017-07-01T00:00:01,94000,20.5,50.0",
                "2040,'@SUM(1+1),42.686,23.351,2017-07-01T00:00:02,94000,20.5,50.0",
                "2040,1025,42.686,23.351,2017-07-01T00:00:03,'+94000+1,20.5,50.0",
                "2040,1025,42.686,23.351,2017-07-01T00:00:05,94000,20.5,\u2028=HYPERLINK(\"x\")"),
                Files.readAllLines(Path.of(config.quarantineDir(), formulas + ".rejected.csv")));
        String errors = Files.readString(Path.of(config.quarantineDir(), formulas + ".errors.jsonl"));
        assertTrue(errors.contains("\\u2028") && !errors.contains("\u2028"), errors);

        Path normal = Files.createTempFile(Path.of("target"), "normal", ".gen");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(3, 1_500, 0, 1, 11).writeTo(normal);
        String name = "after-the-corpus." + run + ".csv";
        Files.move(normal, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofMinutes(2)).until(() -> {
            Map<String, Object> row = ingestFile(name);
            return row != null && "LOADED".equals(row.get("status"));
        });
        assertEquals(expected.rowsTotal(), ingestFile(name).get("rows_loaded"));
    }

    private Map<String, Object> ingestFile(String name) throws SQLException {
        return new IngestFiles(dataSource).byName(name);
    }

    private long count(String sql, long parameter) throws SQLException {
        return new IngestFiles(dataSource).count(sql, parameter);
    }
}
