package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.loadgen.LoadGenerator;

/**
 * bin/loadgen's generator against the running pipeline (real broker, real database), as uploads from
 * concurrent clients and as files moved into the folder, with invalid rows and duplicates: every file is
 * answered, each content is taken once (the first 202, every repeat a 200 naming it) and every row is
 * loaded or quarantined exactly once.
 */
@QuarkusTest
class LoadGeneratorTest {

    @TestHTTPResource("/ingest")
    URL ingest;

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    /** id, status, rows_total, rows_loaded, rows_quarantined, duplicate_of of the files named prefix-*. */
    private Map<String, List<Object>> files(String prefix) throws Exception {
        Map<String, List<Object>> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT file_name, id,"
                + " status, rows_total, rows_loaded, rows_quarantined, duplicate_of FROM ingest_file"
                + " WHERE file_name LIKE ? ORDER BY id")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "#" + rs.getLong(2), List.of(rs.getLong(2), rs.getString(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return rows;
    }

    @Test
    void concurrentUploadsWithRetriesLoadEveryRowOnce() throws Exception {
        String prefix = "loadgen-http-" + System.nanoTime();
        LoadGenerator.Report report = new LoadGenerator(new LoadGenerator.Options(ingest.toString(), "test-upload-token",
                80, Duration.ZERO, 0, 100, 5, 0.05, 0.15, 4, 7, prefix)).run();

        // Per content: one upload taken (202), every other copy answered 200 naming it.
        Map<String, List<LoadGenerator.Sent>> byName = new LinkedHashMap<>();
        report.sent().forEach(s -> byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s));
        long expectedRows = 0;
        long expectedInvalid = 0;
        Map<String, Long> taken = new LinkedHashMap<>();
        for (Map.Entry<String, List<LoadGenerator.Sent>> copies : byName.entrySet()) {
            List<LoadGenerator.Sent> accepted = copies.getValue().stream().filter(s -> s.status() == 202).toList();
            assertEquals(1, accepted.size(), copies.getKey() + ": " + copies.getValue());
            long id = LoadGenerator.number(accepted.get(0).answer(), "id");
            taken.put(copies.getKey(), id);
            for (LoadGenerator.Sent copy : copies.getValue()) {
                if (copy != accepted.get(0)) {
                    assertEquals(200, copy.status(), copy.toString());
                    assertEquals(id, LoadGenerator.number(copy.answer(), "duplicate_of"), copy.toString());
                }
            }
            expectedRows += accepted.get(0).expected().rowsTotal();
            expectedInvalid += accepted.get(0).expected().rowsInvalid();
        }
        assertEquals(80, report.sent().size());
        assertEquals(80 - taken.size(), report.sent().stream().filter(s -> s.status() == 200).count());

        await().atMost(Duration.ofMinutes(2)).until(() -> files(prefix).values().stream()
                .noneMatch(f -> "PROCESSING".equals(f.get(1))));
        long total = 0;
        long quarantined = 0;
        for (List<Object> file : files(prefix).values()) {
            if ("LOADED".equals(file.get(1))) {
                total += (Long) file.get(2);
                quarantined += (Long) file.get(4);
            } else {
                assertEquals("DUPLICATE", file.get(1), file.toString());
            }
        }
        assertEquals(expectedRows, total);
        assertEquals(expectedInvalid, quarantined);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM raw_sensor_data WHERE file_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", taken.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(expectedRows - expectedInvalid, rs.getLong(1), "every valid row once");
            }
        }
    }

    @Test
    void filesMovedIntoTheFolderWithCopiesLoadEveryRowOnce() throws Exception {
        String prefix = "loadgen-folder-" + System.nanoTime();
        LoadGenerator.Report report = new LoadGenerator(new LoadGenerator.Options(Path.of(config.dataDir()).toString(),
                null, 30, Duration.ZERO, 0, 100, 5, 0.05, 0.2, 4, 8, prefix)).run();

        long copies = report.sent().stream().filter(LoadGenerator.Sent::duplicate).count();
        await().atMost(Duration.ofMinutes(2)).until(() -> files(prefix).size() == 30 && files(prefix).values().stream()
                .noneMatch(f -> "PROCESSING".equals(f.get(1))));
        Map<String, List<Object>> files = files(prefix);
        assertEquals(copies, files.values().stream().filter(f -> "DUPLICATE".equals(f.get(1))).count());
        long expected = report.sent().stream().filter(s -> !s.duplicate()).mapToLong(s -> s.expected().rowsValid()).sum();
        assertEquals(expected, files.values().stream().filter(f -> "LOADED".equals(f.get(1)))
                .mapToLong(f -> (Long) f.get(3)).sum(), "every valid row loaded once");
    }
}
