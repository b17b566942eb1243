package io.sensorpipe.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/**
 * The operator page ({@code /ui/}) of the packaged pipeline, in headless Chromium driven by Selenium, with
 * {@code /status}'s credentials required: a clean file, a file with rejected rows and a file quarantined
 * whole are listed with their statuses and counts; the second's rejections chart shows its rules with
 * their counts, its first rejected rows their reasons, its sensor charts the stored min, mean and max and
 * the stored readings; a
 * file dropped while the page is open appears without a reload. Screenshots go to
 * {@code target/operator-page-it/}. Needs Debian's {@code chromium} and {@code chromium-driver}, as
 * {@link ConsoleIT} does.
 */
class OperatorPageIT {

    private static final Path WORK = Path.of("target", "operator-page-it").toAbsolutePath();
    private static final String PASSWORD = "page-test-password";

    private static ServicesUnderTest services;

    @BeforeAll
    static void services() {
        PackagedPipeline.requireJar();
        services = new ServicesUnderTest(WORK);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void thePageShowsFilesTheirRejectionsAndSensorsAndFollowsNewFilesWithoutAReload() throws Exception {
        HeadlessChromium.require();
        try (PackagedPipeline app = services.pipeline(WORK, "page")) {
            app.env("PIPELINE_STATUS_AUTH", "authenticated");
            app.env("PIPELINE_STATUS_PASSWORD", PASSWORD);
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/ui/", "/ui/api/files")) {
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(app.url(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, anonymous.statusCode(), path + " asks for the credentials");
                assertTrue(anonymous.headers().firstValue("www-authenticate").orElse("").toLowerCase().startsWith("basic"),
                        path);
            }

            IngestFiles files = new IngestFiles(services.db);
            drop(app, "clean.csv", csv(11, 40, 0));
            drop(app, "rejects.csv", csv(12, 30, 6));
            drop(app, "unknown.csv", "station,when,level\n1,2017-07-01T00:00:00,3\n");
            Map<String, Map<String, Object>> finished = new LinkedHashMap<>();
            for (String name : List.of("clean.csv", "rejects.csv", "unknown.csv")) {
                finished.put(name, files.awaitFinished(name));
            }
            assertEquals("QUARANTINED", finished.get("unknown.csv").get("status"));

            try (HeadlessChromium browser = new HeadlessChromium(WORK.resolve("chromium"))) {
                URI page = app.url("/ui/");
                // As an operator would: the browser is asked once for the credentials (here in the address).
                browser.open(page.getScheme() + "://status:" + PASSWORD + "@" + page.getAuthority() + page.getPath());
                browser.open(page.toString());
                browser.script("window.sensorpipeMarker = 'same page'; return null;");
                JsonNode listed;
                try {
                    listed = browser.awaitScript(Duration.ofMinutes(1), LISTED_FILES, rows -> rows.size() >= 3);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("the page lists no files; its state: " + browser.script(
                            "return {error: window.sensorpipeUi ? window.sensorpipeUi.error : 'no script ran',"
                                    + " text: document.body.innerText.slice(0, 300)};"), e);
                }
                for (Map.Entry<String, Map<String, Object>> file : finished.entrySet()) {
                    JsonNode row = find(listed, file.getKey());
                    Map<String, Object> stored = file.getValue();
                    assertEquals(stored.get("status"), row.get("status").asText(), file.getKey());
                    assertEquals(String.valueOf(stored.get("rows_total")), row.get("rows").asText(), file.getKey());
                    assertEquals(String.valueOf(stored.get("rows_loaded")), row.get("loaded").asText(), file.getKey());
                    assertEquals(String.valueOf(stored.get("rows_quarantined")), row.get("quarantined").asText(),
                            file.getKey());
                }
                assertEquals("36", find(listed, "rejects.csv").get("rows").asText());
                assertEquals("6", find(listed, "rejects.csv").get("quarantined").asText());

                // The file with rejected rows: its rules with their counts, its rows with their reasons.
                long rejectsId = ((Number) finished.get("rejects.csv").get("id")).longValue();
                browser.script("document.querySelector('#files tbody tr[data-id=\"" + rejectsId + "\"]').click();"
                        + " return null;");
                JsonNode chart = browser.awaitScript(Duration.ofSeconds(30), REJECTIONS_CHART,
                        drawn -> drawn.isObject() && drawn.get("rules").size() > 0);
                Map<String, Long> rules = rejections(rejectsId);
                Map<String, Long> drawn = new LinkedHashMap<>();
                for (int i = 0; i < chart.get("rules").size(); i++) {
                    drawn.put(chart.get("rules").get(i).asText(), chart.get("rows").get(i).asLong());
                }
                assertEquals(rules, drawn, "the rejections chart of rejects.csv");
                assertEquals(Map.of("humidity / numeric", 6L), drawn);
                JsonNode rejected = browser.awaitScript(Duration.ofSeconds(30), REJECTED_ROWS, rows -> rows.size() == 6);
                for (JsonNode row : rejected) {
                    assertTrue(row.get("reasons").asText().contains("humidity"), row.toString());
                    assertTrue(row.get("row").asText().endsWith(",humid"), row.toString());
                }
                assertEquals(List.of("rejects.csv.errors.jsonl", "rejects.csv.rejected.csv", "rejects.csv.summary.json"),
                        texts(browser.script("return Array.from(document.querySelectorAll('#reports a'))"
                                + ".map(a => a.textContent);")));

                // Its sensor chart: min, mean and max per file, as aggregated_metrics holds them.
                JsonNode series = browser.awaitScript(Duration.ofSeconds(30), SERIES_CHART,
                        s -> s.isObject() && s.get("min").size() > 0);
                List<double[]> stored = series(series.get("sensor").asLong(), series.get("quantity").asText());
                assertEquals(stored.size(), series.get("min").size());
                for (int i = 0; i < stored.size(); i++) {
                    assertEquals(stored.get(i)[0], series.get("min").get(i).asDouble(), 1e-9);
                    assertEquals(stored.get(i)[1], series.get("mean").get(i).asDouble(), 1e-9);
                    assertEquals(stored.get(i)[2], series.get("max").get(i).asDouble(), 1e-9);
                }
                // And its readings in this file, as stored.
                JsonNode readings = browser.awaitScript(Duration.ofSeconds(30), READINGS_CHART,
                        r -> r.isArray() && r.size() > 0);
                List<double[]> storedReadings = readings(rejectsId, series.get("sensor").asLong(),
                        series.get("quantity").asText());
                assertEquals(30, storedReadings.size(), "the 30 rows of rejects.csv loaded");
                assertEquals(storedReadings.size(), readings.size());
                for (int i = 0; i < storedReadings.size(); i++) {
                    assertEquals(storedReadings.get(i)[0], readings.get(i).get(0).asDouble(), "time of reading " + i);
                    assertEquals(storedReadings.get(i)[1], readings.get(i).get(1).asDouble(), 1e-9);
                }
                browser.fitPage();
                browser.screenshot(WORK.resolve("operator-page.png"));

                // A file dropped while the page is open appears without a reload.
                drop(app, "later.csv", csv(12, 25, 0));
                assertEquals("LOADED", files.awaitFinished("later.csv").get("status"));
                JsonNode now = browser.awaitScript(Duration.ofSeconds(30), LISTED_FILES,
                        rows -> rows.findValuesAsText("file").contains("later.csv")
                                && find(rows, "later.csv").get("status").asText().equals("LOADED"));
                assertEquals("25", find(now, "later.csv").get("loaded").asText());
                assertEquals("same page", browser.script("return window.sensorpipeMarker;").asText(), "not reloaded");

                // Filtered by status: only the file quarantined whole.
                browser.script("const s = document.getElementById('status'); s.value = 'QUARANTINED';"
                        + " s.dispatchEvent(new Event('change')); return null;");
                JsonNode quarantined = browser.awaitScript(Duration.ofSeconds(30), LISTED_FILES,
                        rows -> rows.size() == 1);
                assertEquals("unknown.csv", quarantined.get(0).get("file").asText());
            }
        }
    }

    /** The files table as the page shows it. */
    private static final String LISTED_FILES = """
            return Array.from(document.querySelectorAll('#files tbody tr')).map(tr => {
                const c = tr.querySelectorAll('td');
                return {id: c[0].textContent, file: c[1].textContent, status: c[2].textContent,
                        rows: c[4].textContent, loaded: c[5].textContent, quarantined: c[6].textContent};
            });""";

    /** The rejections chart's categories and bars, as drawn by ECharts. */
    private static final String REJECTIONS_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('rejections'));
            if (!c || !c.getOption().series.length) return null;
            const o = c.getOption();
            return {rules: o.yAxis[0].data, rows: o.series[0].data};""";

    private static final String REJECTED_ROWS = """
            return Array.from(document.querySelectorAll('#rejected-rows tbody tr')).map(tr => {
                const c = tr.querySelectorAll('td');
                return {line: c[0].textContent, reasons: c[1].textContent, row: c[2].textContent};
            });""";

    /** The sensor chart's three lines, as drawn, with the sensor and quantity the page chose. */
    private static final String SERIES_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('series'));
            const s = window.sensorpipeUi.series;
            if (!c || !s || !c.getOption().series.length) return null;
            const lines = {};
            c.getOption().series.forEach(l => lines[l.name] = l.data.map(p => p[1]));
            return {sensor: s.sensor_id, quantity: s.quantity, min: lines.min, mean: lines.mean, max: lines.max};""";

    /** The readings chart's points, time in epoch milliseconds and value. */
    private static final String READINGS_CHART = """
            const c = echarts.getInstanceByDom(document.getElementById('readings'));
            if (!c || !c.getOption().series.length) return null;
            return c.getOption().series[0].data.map(p => [Date.parse(p[0]), p[1]]);""";

    private static JsonNode find(JsonNode rows, String file) {
        for (JsonNode row : rows) {
            if (row.get("file").asText().equals(file)) {
                return row;
            }
        }
        throw new AssertionError(file + " is not listed: " + rows);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Map<String, Long> rejections(long fileId) throws SQLException {
        Map<String, Long> rules = new LinkedHashMap<>();
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT field, rule, rejections FROM file_rejection WHERE file_id = ? ORDER BY rejections, field DESC")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rules.put(rs.getString(1) + " / " + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return rules;
    }

    private static List<double[]> series(long sensor, String quantity) throws SQLException {
        List<double[]> points = new ArrayList<>();
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT min_value, mean_value, max_value FROM aggregated_metrics WHERE sensor_id = ? AND quantity = ?"
                        + " ORDER BY first_measured_at")) {
            ps.setLong(1, sensor);
            ps.setString(2, quantity);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3)});
                }
            }
        }
        return points;
    }

    /** One sensor's stored readings of a quantity (a column of reading) in a file, in time order. */
    private static List<double[]> readings(long fileId, long sensor, String column) throws SQLException {
        assertTrue(column.matches("[a-z_0-9]+"), column);
        List<double[]> points = new ArrayList<>();
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT measured_at, " + column + " FROM raw_sensor_data WHERE file_id = ? AND sensor_id = ?"
                        + " AND " + column + " IS NOT NULL ORDER BY measured_at")) {
            ps.setLong(1, fileId);
            ps.setLong(2, sensor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new double[] {rs.getTimestamp(1).getTime(), rs.getDouble(2)});
                }
            }
        }
        return points;
    }

    /** Rows of one sensor, the last {@code invalid} with a humidity that is not a number. */
    private static String csv(long sensor, int valid, int invalid) {
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < valid + invalid; i++) {
            String row = Csv.bme280Row(sensor, i + (int) sensor * 1000);
            csv.append(i < valid ? row : row.replaceFirst(",[^,]*$", ",humid")).append('\n');
        }
        return csv.toString();
    }

    private static void drop(PackagedPipeline app, String name, String content) throws IOException {
        Path dataDir = Files.createDirectories(app.dataDir());
        Files.writeString(dataDir.resolve(name + ".part"), content);
        Files.move(dataDir.resolve(name + ".part"), dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
