package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import jakarta.validation.Validator;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.sensorpipe.check.DryRun;
import io.sensorpipe.records.Reason;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.IngestFiles;

/**
 * check-file is a dry run of the intake: over every file of the hostile corpus, the onboarding samples
 * and the real files, its verdict ({@link DryRun}) and the running pipeline's (real broker, real
 * database) are the same: the source, the counts, each rejected line with its reasons, and whether the
 * file is loaded or quarantined whole, and why. With the onboarded sources on top of the shipped ones,
 * as SourcesOnboardingTest runs (one start of the application for both).
 */
@QuarkusTest
@TestProfile(SourcesOnboardingTest.WithOnboardedSources.class)
class CheckFileAgreesWithThePipelineTest {

    private static final List<String> REAL = List.of("sofia-2017-07-bme280-sensor2040.csv",
            "sofia-2017-07-bme280-sensor1764.csv", "sofia-2017-07-bme280-first20k.csv");

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @Inject
    SourceCatalog sources;

    @Inject
    Validator validator;

    @Inject
    CamelContext camel;

    /** The files an expected.csv lists (the first column), generated ones left out. */
    private static List<Path> listed(String folder) throws Exception {
        Path dir = Path.of(CheckFileAgreesWithThePipelineTest.class.getResource("/" + folder + "/expected.csv").toURI())
                .getParent();
        List<Path> files = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dir.resolve("expected.csv"));
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null;) {
                String file = line.split("\\|", 2)[0];
                if (!line.startsWith("#") && !file.equals("file") && !file.startsWith("generated:")) {
                    files.add(dir.resolve(file));
                }
            }
        }
        return files;
    }

    private static List<Path> real() {
        List<Path> files = new ArrayList<>();
        for (String name : REAL) {
            try {
                files.add(Drops.realFile(name));
            } catch (org.opentest4j.TestAbortedException absent) {
                System.out.println(absent.getMessage());
            }
        }
        return files;
    }

    /** What the pipeline made of a file: its row (or, for a duplicate, its original's) and its reports. */
    private record Outcome(String source, String status, long rowsTotal, long rowsQuarantined, long blank,
            String error, List<String> rejected) {
    }

    private static String describe(long line, List<Reason> reasons) {
        StringBuilder text = new StringBuilder("line " + line);
        for (Reason r : reasons) {
            text.append(" | ").append(r.field()).append('/').append(r.rule()).append(": ").append(r.message());
        }
        return text.toString();
    }

    private Outcome outcome(long id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT"
                + " coalesce(o.source, f.source), coalesce(o.status, f.status), coalesce(o.rows_total, f.rows_total),"
                + " coalesce(o.rows_quarantined, f.rows_quarantined), coalesce(o.rows_blank, f.rows_blank),"
                + " coalesce(o.error, f.error), coalesce(o.file_name, f.file_name)"
                + " FROM ingest_file f LEFT JOIN ingest_file o ON o.id = f.duplicate_of WHERE f.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                List<String> rejected = new ArrayList<>();
                Path errors = Path.of(config.quarantineDir(), rs.getString(7) + ".errors.jsonl");
                if ("LOADED".equals(rs.getString(2)) && Files.exists(errors)) {
                    for (String line : Files.readAllLines(errors, StandardCharsets.UTF_8)) {
                        JsonNode entry = Json.MAPPER.readTree(line);
                        if (entry.has("line")) {
                            List<Reason> reasons = new ArrayList<>();
                            for (JsonNode r : entry.get("reasons")) {
                                reasons.add(new Reason(r.path("field").asText(null), r.path("rule").asText(null),
                                        r.path("expected").asText(null), r.path("actual").asText(null),
                                        r.path("message").asText(null)));
                            }
                            rejected.add(describe(entry.get("line").asLong(), reasons));
                        }
                    }
                }
                return new Outcome(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rejected);
            }
        }
    }

    private static Outcome expected(DryRun.Verdict v) {
        boolean loaded = v.quarantine() == null;
        return new Outcome(v.source() == null ? null : v.source().name(), loaded ? "LOADED" : "QUARANTINED",
                v.rows(), v.rowsRejected(), v.blankLines(), v.quarantine(),
                loaded ? v.rejected().stream().map(r -> describe(r.line(), r.reasons())).toList() : List.of());
    }

    /** Counts are compared for loaded files; a file quarantined whole is compared by its source and reason. */
    private static Outcome comparable(Outcome o) {
        return "LOADED".equals(o.status()) ? o
                : new Outcome(o.source(), o.status(), -1, -1, -1, o.error(), List.of());
    }

    private long lastId() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(id), 0) FROM ingest_file"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Long finished(String name, long after) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM"
                + " ingest_file WHERE file_name = ? AND id > ? AND status <> 'PROCESSING' ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, name);
            ps.setLong(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /**
     * The name this test gives a file: its own, so that the tests that drop the same files under their
     * names find one row each; the station sample keeps the pattern its source asks for.
     */
    private static String renamed(String name) {
        return name.matches("station-\\d+_\\d{4}-\\d{2}-\\d{2}\\.csv") ? name.replaceAll("_\\d{4}-", "_1999-")
                : "agreement-" + name;
    }

    @Test
    void checkFileAndThePipelineGiveTheSameVerdictOnEveryCorpus() throws Exception {
        Path copies = Files.createDirectories(Path.of("target", "check-file-agreement"));
        List<Path> files = new ArrayList<>();
        List<Path> corpus = new ArrayList<>(listed("hostile"));
        corpus.addAll(listed("onboarding"));
        corpus.addAll(real());
        for (Path file : corpus) {
            files.add(Files.copy(file, copies.resolve(renamed(file.getFileName().toString())),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        }
        DryRun dryRun = new DryRun(camel, config, sources, validator);
        Map<String, Outcome> expected = new LinkedHashMap<>();
        for (Path file : files) {
            expected.put(file.getFileName().toString(), expected(dryRun.check(file, Integer.MAX_VALUE)));
        }

        long before = lastId();
        for (Path file : files) {
            Drops.drop(Path.of(config.dataDir()), file, file.getFileName().toString());
        }
        Map<String, Outcome> actual = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            Long id = await().atMost(Duration.ofMinutes(3)).until(() -> finished(name, before), found -> found != null);
            actual.put(name, outcome(id));
        }

        List<String> disagreements = new ArrayList<>();
        for (String name : expected.keySet()) {
            Outcome dry = comparable(expected.get(name));
            Outcome real = comparable(actual.get(name));
            if (!dry.equals(real)) {
                disagreements.add(name + "\n  check-file: " + dry + "\n  pipeline:   " + real);
            }
        }
        assertEquals(List.of(), disagreements, "check-file and the pipeline disagree");
        assertEquals(files.size(), actual.size());
        // Out of the way of the tests that load the same contents after this one (same database).
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM ingest_file WHERE id > ? AND status = 'LOADED'")) {
            ps.setLong(1, before);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    new IngestFiles(dataSource).retire(rs.getLong(1));
                }
            }
        }
    }
}
