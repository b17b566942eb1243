package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.sensorpipe.support.ReportNames;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/**
 * What a hostile data folder or request can do, against the real pipeline: nothing outside data/ is
 * read, no special file stalls the intake, no name loses its reasons, no request header is echoed.
 */
@QuarkusTest
class HostileEntriesTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @TestHTTPResource("/status")
    URI status;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String query, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(status + query));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusAnswersWithItsOwnHeadersOnlyAndRefusesAMalformedLimit() throws Exception {
        HttpResponse<String> response = get("?Set-Cookie=sid%3Devil&Location=http://evil.example/"
                + "&Access-Control-Allow-Origin=*&Content-Encoding=gzip&x=a%0d%0aSet-Cookie:%20a=b", "X-Evil", "injected");
        assertEquals(200, response.statusCode());
        for (String header : List.of("set-cookie", "location", "access-control-allow-origin", "content-encoding",
                "x-evil", "x")) {
            assertTrue(response.headers().allValues(header).isEmpty(), header + " echoed: " + response.headers().map());
        }
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        Json.MAPPER.readTree(response.body());

        for (String limit : List.of("1;DROP%20TABLE%20ingest_file", "0", "-3", "abc", "1%0d%0aX-Evil:%201", "")) {
            HttpResponse<String> refused = get("?limit=" + limit);
            assertEquals(400, refused.statusCode(), "limit=" + limit);
            assertEquals("limit must be a whole number of 1 or more (at most 500 files are listed)",
                    Json.MAPPER.readTree(refused.body()).get("error").asText());
            assertTrue(refused.headers().allValues("x-evil").isEmpty());
        }
        assertEquals(200, get("?limit=100000").statusCode(), "a large limit is capped, not refused");
    }

    @Test
    void linksSpecialFilesAndOddNamesAreSkippedUnreadAndTheFilesAfterThemLoad() throws Exception {
        long salt = System.nanoTime();
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Path outside = Files.createDirectories(Path.of("target", "outside-data-" + salt)).toAbsolutePath();
        String secret = "secret-" + salt;
        Path secretCsv = outside.resolve("secret.csv");
        Files.writeString(secretCsv, Csv.BME280_HEADER + "\n" + "777777,1," + secret + ",23.3,2017-07-01T00:00:00,"
                + "93000,20,50\n" + Csv.bme280Row(777_777, 1) + "\n");

        Map<String, String> expected = new LinkedHashMap<>();
        String linkOut = "link-out-" + salt + ".csv";
        Files.createSymbolicLink(dataDir.resolve(linkOut), secretCsv);
        expected.put(linkOut, "a symbolic link");
        String passwd = "passwd-" + salt + ".csv";
        Files.createSymbolicLink(dataDir.resolve(passwd), Path.of("/etc/passwd"));
        expected.put(passwd, "a symbolic link");
        String zero = "zero-" + salt + ".csv";
        Files.createSymbolicLink(dataDir.resolve(zero), Path.of("/dev/zero"));
        expected.put(zero, "a symbolic link");
        String dangling = "dangling-" + salt + ".csv";
        Files.createSymbolicLink(dataDir.resolve(dangling), outside.resolve("missing.csv"));
        expected.put(dangling, "a symbolic link");
        String loop = "loop-" + salt + ".csv";
        Files.createSymbolicLink(dataDir.resolve(loop), dataDir.resolve(loop).toAbsolutePath());
        expected.put(loop, "a symbolic link");
        String fifo = "fifo-" + salt + ".csv";
        assertEquals(0, new ProcessBuilder("mkfifo", dataDir.resolve(fifo).toString()).start().waitFor());
        expected.put(fifo, "not a regular file");
        String directory = "folder-" + salt + ".csv";
        Files.createDirectory(dataDir.resolve(directory));
        expected.put(directory, "a directory");
        String newline = "new\nline-" + salt + ".csv";
        Files.writeString(dataDir.resolve(newline), Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n");
        expected.put(newline, "control character");
        String escape = "esc\u001b[31m-" + salt + ".csv";
        Files.writeString(dataDir.resolve(escape), Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 2) + "\n");
        expected.put(escape, "control character");
        String hidden = ".hidden-" + salt + ".csv";
        Files.writeString(dataDir.resolve(hidden), Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 3) + "\n");
        expected.put(hidden, "a hidden file");

        String after = "after-entries-" + salt + ".csv";
        Files.writeString(dataDir.resolve(after + ".part"), Csv.BME280_HEADER + "\n" + Csv.bme280Row(4242, 1) + "\n");
        Files.move(dataDir.resolve(after + ".part"), dataDir.resolve(after), StandardCopyOption.ATOMIC_MOVE);

        IngestFiles files = new IngestFiles(dataSource);
        assertEquals("LOADED", files.awaitFinished(after).get("status"), "a file after them is not held up");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Map<String, Object> row = files.awaitFinished(e.getKey());
            assertEquals("SKIPPED", row.get("status"), e.getKey());
            assertTrue(((String) row.get("error")).contains(e.getValue()), e.getKey() + ": " + row.get("error"));
        }
        Path skipped = Path.of(config.quarantineDir(), ".skipped");
        for (String moved : List.of(linkOut, passwd, zero, dangling, loop, fifo, directory, newline, escape)) {
            assertFalse(Files.exists(dataDir.resolve(moved), LinkOption.NOFOLLOW_LINKS), moved + " left the data folder");
            assertTrue(Files.exists(skipped.resolve(moved), LinkOption.NOFOLLOW_LINKS), moved);
        }
        assertTrue(Files.isSymbolicLink(skipped.resolve(linkOut)), "moved as a link, not copied");
        assertTrue(Files.exists(dataDir.resolve(hidden)), "a hidden file stays where it is");

        // Nothing read through a link: not in the database, not in a report, not in /status.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT count(*) FROM raw_sensor_data WHERE sensor_id = 777777)"
                        + " + (SELECT count(*) FROM ingest_file WHERE error LIKE ? OR error LIKE '%root:%')")) {
            ps.setString(1, "%" + secret + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
        String statusBody = get("?limit=500").body();
        assertFalse(statusBody.contains(secret) || statusBody.contains("root:"), "nothing from outside in /status");
        try (var reports = Files.list(Path.of(config.quarantineDir()))) {
            for (Path report : reports.toList()) {
                if (Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
                    String text = Files.readString(report, StandardCharsets.ISO_8859_1);
                    assertFalse(text.contains(secret) || text.contains("root:x:"), report.toString());
                }
            }
        }
        assertFalse(statusBody.contains(Path.of(config.quarantineDir()).toAbsolutePath().toString()),
                "/status shows no server path");
    }

    @Test
    void aNameAsLongAsTheFileSystemAllowsKeepsTheReasonsOfItsRejectedRows() throws Exception {
        String suffix = "-" + System.nanoTime() + ".csv";
        String name = "l".repeat(255 - suffix.length()) + suffix;
        assertEquals(255, name.length());
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 4; i++) {
            csv.append(Csv.bme280Row(3100, i)).append('\n');
        }
        // One rule broken (sensor_id not a whole number), by text a spreadsheet would run and a line separator.
        csv.append("=1+2\u2028cmd,1025,42.686,23.351,2017-07-01T00:00:09,94000,20.0,50.0\n");
        Path staged = Files.createTempFile(Path.of("target"), "long", ".gen");
        Files.writeString(staged, csv);
        Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);

        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("LOADED", file.get("status"));
        assertEquals(1L, file.get("rows_quarantined"));
        Path quarantine = Path.of(config.quarantineDir());
        Path errors = quarantine.resolve(ReportNames.of(name, ReportNames.ERRORS));
        assertTrue(ReportNames.of(name, ReportNames.ERRORS).length() <= 255);
        List<String> lines = Files.readAllLines(errors);
        assertEquals(1, lines.size());
        JsonNode entry = Json.MAPPER.readTree(lines.get(0));
        assertEquals(name, entry.get("file").asText(), "the report carries the whole name");
        assertEquals(6, entry.get("line").asInt());
        assertFalse(lines.get(0).contains("\u2028"), "U+2028 is escaped in errors.jsonl");
        assertTrue(lines.get(0).contains("\\u2028"));
        assertEquals(List.of(Csv.BME280_HEADER, "'=1+2\u2028cmd,1025,42.686,23.351,2017-07-01T00:00:09,94000,20.0,50.0"),
                Files.readAllLines(quarantine.resolve(ReportNames.of(name, ReportNames.REJECTED))),
                "the formula cell is escaped for spreadsheets");
        assertTrue(Files.exists(quarantine.resolve(ReportNames.of(name, ReportNames.SUMMARY))));
        List<Long> lineNumbers = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT first_rejected_line, last_rejected_line, (SELECT sum(rejections) FROM file_rejection r"
                        + " WHERE r.file_id = f.id) FROM ingest_file f WHERE id = ?")) {
            ps.setLong(1, (Long) file.get("id"));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                lineNumbers.add(rs.getLong(1));
                lineNumbers.add(rs.getLong(2));
                lineNumbers.add(rs.getLong(3));
            }
        }
        assertEquals(List.of(6L, 6L, 1L), lineNumbers);
        assertNotNull(file.get("id"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(dataDir.resolve(name)));
        try (var done = Files.list(dataDir.resolve(".done"))) {
            assertTrue(done.anyMatch(p -> p.getFileName().toString().startsWith(file.get("id") + "-lll")),
                    "moved to data/.done under a name the file system takes");
        }
    }

    @Test
    void aRecordOverTheLimitQuarantinesItsFileAndALongCellIsReportedOnceInFull() throws Exception {
        long salt = System.nanoTime();
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        String huge = "huge-line-" + salt + ".csv";
        Path staged = Files.createTempFile(Path.of("target"), "huge", ".gen");
        Files.writeString(staged, Csv.BME280_HEADER + "\n" + Csv.bme280Row(3200, 1) + "\n3200,1025,42.686,23.351,"
                + "2017-07-01T00:00:09,94000,20." + "1".repeat(3_000_000) + ",50.0\n");
        Files.move(staged, dataDir.resolve(huge), StandardCopyOption.ATOMIC_MOVE);

        String longCell = "long-cell-" + salt + ".csv";
        String cell = "x".repeat(300_000);
        Path staged2 = Files.createTempFile(Path.of("target"), "cell", ".gen");
        Files.writeString(staged2, Csv.BME280_HEADER + "\n" + Csv.bme280Row(3201, 1) + "\n" + Csv.bme280Row(3201, 2)
                + "\n3201,1025,42.686,23.351,2017-07-01T00:00:09,94000," + cell + ",50.0\n");
        Files.move(staged2, dataDir.resolve(longCell), StandardCopyOption.ATOMIC_MOVE);

        IngestFiles files = new IngestFiles(dataSource);
        Map<String, Object> quarantined = files.awaitFinished(huge);
        assertEquals("QUARANTINED", quarantined.get("status"));
        assertEquals("the record starting on line 3 is longer than pipeline.limits.max-record-chars (1,048,576"
                + " characters)", quarantined.get("error"));

        Map<String, Object> loaded = files.awaitFinished(longCell);
        assertEquals("LOADED", loaded.get("status"));
        assertEquals(1L, loaded.get("rows_quarantined"));
        String report = Files.readString(Path.of(config.quarantineDir(), ReportNames.of(longCell, ReportNames.ERRORS)));
        JsonNode entry = Json.MAPPER.readTree(report);
        assertTrue(entry.get("raw").asText().contains(cell), "raw carries the line whole");
        JsonNode reason = entry.get("reasons").get(0);
        assertTrue(reason.get("actual").asText().endsWith("… [truncated: 300000 characters]"), reason.toString());
        assertTrue(reason.get("message").asText().length() < 300, reason.toString());
        assertTrue(report.length() < cell.length() + 2_000, "the cell is in the report once, not four times: "
                + report.length());
    }
}
