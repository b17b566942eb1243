package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;

/**
 * Sources added by configuration alone ({@code src/test/resources/onboarding/sources.yaml}, on top of
 * the shipped Sofia sources), through the whole pipeline (real broker, real database): each file of
 * {@code onboarding/} is read as the source {@code expected.csv} names, with its counts; every stored
 * row is the one {@code stored.csv} gives, in the stored units, and every value of a configured
 * quantity the one {@code stored-values.csv} gives, its unit in {@code quantity}; the metrics are SQL's
 * over the stored rows and values (new quantities included); each rejected row is reported with the reasons
 * {@code rejections.csv} gives, its line in {@code rejected.csv} as it is in the file (line terminator
 * included), and every report names the source and the version {@code expected.csv} gives. Every expected
 * value, unit and version is written by hand, none taken from the production code.
 */
@QuarkusTest
@TestProfile(SourcesOnboardingTest.WithOnboardedSources.class)
class SourcesOnboardingTest {

    public static class WithOnboardedSources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pipeline.sources.files", "classpath:sources.yaml,classpath:onboarding/sources.yaml");
        }
    }

    private static final String[] COLUMNS = {"sensor_id", "location_id", "lat", "lon", "measured_at", "pressure_hpa",
        "temperature_c", "humidity_pct", "pm10_ugm3", "pm25_ugm3"};

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private static List<String[]> table(String name) throws IOException {
        try (InputStream in = SourcesOnboardingTest.class.getResourceAsStream("/onboarding/" + name);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.startsWith("#") && !l.startsWith("file|"))
                    .map(l -> l.split("\\|", -1)).toList();
        }
    }

    @Test
    void everyOnboardedShapeLoadsExactlyAsConfigured() throws Exception {
        Path folder = Path.of(SourcesOnboardingTest.class.getResource("/onboarding/expected.csv").toURI()).getParent();
        List<String[]> expected = table("expected.csv");
        try (var files = Files.list(folder)) {
            Set<String> samples = new TreeSet<>(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".csv")
                            && !Set.of("expected.csv", "stored.csv", "stored-values.csv", "rejections.csv").contains(f)
                            || f.endsWith(".csv.gz")).toList());
            assertEquals(samples, new TreeSet<>(expected.stream().map(e -> e[0]).toList()),
                    "every sample file has a line in expected.csv");
        }
        for (String[] e : expected) {
            Drops.drop(Path.of(config.dataDir()), folder.resolve(e[0]), e[0]);
        }

        List<String> mismatches = new ArrayList<>();
        IngestFiles ingest = new IngestFiles(dataSource);
        Map<String, List<String>> storedRows = byFile(table("stored.csv"));
        Map<String, List<String>> rejectedRows = byFile(table("rejections.csv"));
        Map<String, List<String>> storedValues = byFile(table("stored-values.csv"));
        for (String[] e : expected) {
            String name = e[0];
            Map<String, Object> file = ingest.awaitFinished(name);
            long id = (Long) file.get("id");
            String actual = String.join("|", String.valueOf(file.get("source")), String.valueOf(file.get("status")),
                    String.valueOf(file.get("rows_total")), String.valueOf(file.get("rows_loaded")),
                    String.valueOf(file.get("rows_quarantined")), String.valueOf(file.get("rows_blank")));
            String wanted = String.join("|", e[1], e[3], e[4], e[5], e[6], e[7]);
            if (!actual.equals(wanted)) {
                mismatches.add(name + ": source|status|total|loaded|quarantined|blank " + actual + ", expected " + wanted
                        + " (" + file.get("error") + ")");
                continue;
            }
            String version = e[2];
            if (!version.equals(file.get("source_version"))) {
                mismatches.add(name + ": ingest_file.source_version " + file.get("source_version"));
            }
            List<String> stored = stored(id);
            if (!stored.equals(storedRows.getOrDefault(name, List.of()))) {
                mismatches.add(name + ": stored " + stored + ", expected " + storedRows.get(name));
            }
            List<String> values = values(id);
            if (!values.equals(storedValues.getOrDefault(name, List.of()))) {
                mismatches.add(name + ": reading_value " + values + ", expected " + storedValues.get(name));
            }
            for (String difference : new MetricsCheck(dataSource).mismatches(id)) {
                mismatches.add(name + ": metrics " + difference);
            }
            Path quarantine = Path.of(config.quarantineDir());
            Path errors = quarantine.resolve(name + ".errors.jsonl");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(errors));
            List<String> reported = new ArrayList<>();
            for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
                JsonNode entry = Json.MAPPER.readTree(line);
                Set<String> reasons = new TreeSet<>();
                entry.get("reasons").forEach(r -> reasons.add(r.get("field").asText() + "/" + r.get("rule").asText()));
                reported.add(entry.get("line").asLong() + "|" + String.join(" ", reasons));
                if (!e[1].equals(entry.get("source").asText()) || !version.equals(entry.get("source_version").asText())) {
                    mismatches.add(name + ": errors.jsonl line " + entry.get("line") + " names source "
                            + entry.get("source") + " " + entry.get("source_version"));
                }
            }
            if (!reported.equals(rejectedRows.getOrDefault(name, List.of()))) {
                mismatches.add(name + ": rejections " + reported + ", expected " + rejectedRows.get(name));
            }
            String rejectedCsv = new String(Files.readAllBytes(quarantine.resolve(name + ".rejected.csv")),
                    StandardCharsets.UTF_8);
            String lines = headerAndLines(folder.resolve(name), rejectedCsv, rejectedRows.getOrDefault(name, List.of()));
            if (!rejectedCsv.equals(lines)) {
                mismatches.add(name + ": rejected.csv " + rejectedCsv.replace("\r", "\\r").replace("\n", "\\n")
                        + ", expected the lines as in the file: " + lines.replace("\r", "\\r").replace("\n", "\\n"));
            }
            Path summary = quarantine.resolve(name + ".summary.json");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(summary));
            JsonNode report = Json.MAPPER.readTree(summary.toFile());
            if (!e[1].equals(report.get("source").asText()) || !version.equals(report.get("source_version").asText())) {
                mismatches.add(name + ": summary names source " + report.get("source") + " " + report.get("source_version"));
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /**
     * The sample's header line and its rejected lines (by number, from rejections.csv), each with the line
     * terminator it has in the file, as text: what rejected.csv holds (in UTF-8, which for the UTF-8 samples
     * is their own bytes).
     */
    private static String headerAndLines(Path sample, String rejectedCsv, List<String> rejected) throws IOException {
        byte[] bytes = Files.readAllBytes(sample);
        if (sample.toString().endsWith(".gz")) {
            bytes = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)).readAllBytes();
        }
        String charset = sample.getFileName().toString().startsWith("us-weather") ? "ISO-8859-1" : "UTF-8";
        String[] physical = new String(bytes, charset).split("(?<=\r\n|\n|\r(?!\n))");
        String header = rejectedCsv.substring(0, rejectedCsv.length() - rejectedCsv.replaceFirst("^[^\r\n]*(\r\n|\n|\r)", "").length());
        StringBuilder expected = new StringBuilder(header);
        for (String row : rejected) {
            expected.append(physical[Integer.parseInt(row.substring(0, row.indexOf('|'))) - 1]);
        }
        return expected.toString();
    }

    private static Map<String, List<String>> byFile(List<String[]> rows) {
        Map<String, List<String>> byFile = new TreeMap<>();
        for (String[] row : rows) {
            byFile.computeIfAbsent(row[0], f -> new ArrayList<>())
                    .add(String.join("|", java.util.Arrays.copyOfRange(row, 1, row.length)));
        }
        return byFile;
    }

    /** The file's values of configured quantities as "line|quantity|value|unit", the unit as registered in quantity. */
    private List<String> values(long fileId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT v.line_number, v.quantity, v.value, q.unit"
                        + " FROM reading_value v JOIN quantity q ON q.name = v.quantity WHERE v.file_id = ?"
                        + " ORDER BY v.line_number, v.quantity")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getLong(1) + "|" + rs.getString(2) + "|"
                            + new java.math.BigDecimal(Double.toString(rs.getDouble(3))).stripTrailingZeros().toPlainString()
                            + "|" + rs.getString(4));
                }
            }
        }
        return rows;
    }

    /** The file's stored rows as "line|sensor_id|…", numbers in their shortest form, NULL as nothing. */
    private List<String> stored(long fileId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT line_number, " + String.join(", ", COLUMNS)
                        + " FROM raw_sensor_data WHERE file_id = ? ORDER BY line_number")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder().append(rs.getLong(1));
                    for (int i = 0; i < COLUMNS.length; i++) {
                        Object value = rs.getObject(i + 2);
                        row.append('|');
                        if (value instanceof Timestamp t) {
                            row.append(t.toInstant());
                        } else if (value instanceof Double d) {
                            row.append(new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString());
                        } else if (value != null) {
                            row.append(value);
                        }
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }
}
