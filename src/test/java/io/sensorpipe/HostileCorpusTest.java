package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Csv;
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

    private static List<Expected> expectations() throws IOException {
        List<Expected> expected = new ArrayList<>();
        try (InputStream in = HostileCorpusTest.class.getResourceAsStream("/hostile/expected.csv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines().filter(l -> !l.startsWith("#") && !l.startsWith("file|")).forEach(line -> {
                String[] f = line.split("\\|", -1);
                expected.add(new Expected(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        f[5]));
            });
        }
        return expected;
    }

    /** The name the file gets in the data folder: unique per run, its start and characters kept. */
    private static String dropName(String file, String run) {
        String name = file.replace("generated:", "");
        return name.substring(0, name.length() - 4) + "." + run + ".csv";
    }

    @Test
    void everyHostileFileGetsItsExpectedOutcomeAndThePipelineCarriesOn() throws Exception {
        List<Expected> corpus = expectations();
        assertTrue(corpus.size() >= 30, "the corpus has at least 30 files, has " + corpus.size());
        String run = Long.toString(System.nanoTime());
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Thread writer = null;
        for (Expected e : corpus) {
            String name = dropName(e.file(), run);
            Path staged = Files.createTempFile(Path.of("target"), "hostile", ".part");
            if (e.file().equals("generated:five-megabyte-single-line.csv")) {
                byte[] line = new byte[5 * 1024 * 1024];
                java.util.Arrays.fill(line, (byte) 'x');
                Files.write(staged, line);
            } else if (e.file().equals("generated:written-in-pieces.csv")) {
                writer = writeInPieces(dataDir.resolve(name));
                continue;
            } else {
                try (InputStream in = getClass().getResourceAsStream("/hostile/" + e.file())) {
                    Files.copy(in, staged, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        if (writer != null) {
            writer.join();
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
        }
        assertEquals(List.of(), mismatches);
        assertEquals(1, count("SELECT count(*) FROM pg_tables WHERE tablename = 'raw_sensor_data' AND ?::bigint = 0", 0),
                "the SQL text in a field stayed text");
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

    /** Writes 40 rows in four appends 40 ms apart, as a slow producer would: the read lock must wait. */
    private static Thread writeInPieces(Path target) {
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.APPEND)) {
                out.write((Csv.BME280_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
                for (int piece = 0; piece < 4; piece++) {
                    StringBuilder rows = new StringBuilder();
                    for (int i = 0; i < 10; i++) {
                        rows.append(Csv.bme280Row(2040, piece * 10 + i)).append('\n');
                    }
                    out.write(rows.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(40);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "slow-producer");
        writer.start();
        return writer;
    }

    private Map<String, Object> ingestFile(String name) throws SQLException {
        return new IngestFiles(dataSource).byName(name);
    }

    private long count(String sql, long parameter) throws SQLException {
        return new IngestFiles(dataSource).count(sql, parameter);
    }
}
