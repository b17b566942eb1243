package io.sensorpipe.quarantine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.SpreadsheetSafe;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.QualitySummary;
import io.sensorpipe.records.Reason;
import io.sensorpipe.records.RefusedRow;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.ReportNames;
import io.sensorpipe.support.SafeFiles;

/**
 * The reports of a file in {@code quarantine/}: of a file set aside whole ({@code X.csv.error.json},
 * {@code X.csv.summary.json}), and, for a loaded file with rejected rows, its summary and the rows
 * PostgreSQL refused merged into its row reports. Every report is written whole, create-new or replacing
 * its own earlier version, so writing it again after a crash leaves it as if written once.
 */
@ApplicationScoped
public class QuarantineReports {

    /** The rule under which a row PostgreSQL refused is reported. */
    public static final String DATABASE_RULE = "database";

    private final Path quarantineDir;
    private final RuleSet rules;
    private final Folders folders;

    @Inject
    public QuarantineReports(PipelineConfig config, RuleSet rules, Folders folders) {
        this(Path.of(config.quarantineDir()), rules, folders);
    }

    public QuarantineReports(Path quarantineDir, RuleSet rules, Folders folders) {
        this.quarantineDir = quarantineDir.toAbsolutePath();
        this.rules = rules;
        this.folders = folders;
    }

    /**
     * The reports of a file quarantined whole ({@code X.csv.error.json}, and {@code X.csv.summary.json}
     * when its quality is known), named after the file as it will lie in {@code quarantine/}; returns
     * where the file goes. {@code removed} is negative when the rows were removed earlier, counted elsewhere.
     */
    public Path setAside(Path path, String sha256, long size, long rowsRead, long removed, QualitySummary quality,
            String reason) throws IOException {
        String name = path.getFileName().toString();
        // Its own name in quarantine/, or, taken by an earlier file, the first free <n>~name (a file already
        // moved, by an earlier attempt at this, keeps its name).
        Path destination = Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? SafeFiles.freeName(quarantineDir, name)
                : quarantineDir.resolve(name);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", name);
        report.put("file_sha256", sha256);
        report.put("size_bytes", size);
        report.put("reason", reason);
        report.put("rows_read", rowsRead);
        report.put("rows_removed_from_database", removed < 0 ? null : removed);
        report.put("rule_set_version", rules.version());
        report.put("source", quality == null ? null : quality.source());
        report.put("source_version", quality == null ? null : quality.sourceVersion());
        report.put("quarantined_at", Instant.now().toString());
        report.put("quarantined_as", destination.getFileName().toString());
        // Its reports are named after it as it lies in quarantine/.
        String reportBase = destination.getFileName().toString();
        try {
            write(ReportNames.of(reportBase, ReportNames.ERROR), report);
            if (quality != null) {
                writeSummary(quality, reportBase, IngestStatus.QUARANTINED, 0, reason);
            }
        } catch (IOException e) {
            throw folders.unavailable(quarantineDir, e);
        }
        return destination;
    }

    /**
     * Completes the quarantine of a file about to be marked {@code LOADED}: adds the rows PostgreSQL
     * refused to {@code X.csv.errors.jsonl} and {@code X.csv.rejected.csv} (in line order, with the
     * database's reason) and writes {@code X.csv.summary.json} when any row was rejected. Both files
     * are rewritten whole, so doing this again after a crash leaves them as if done once.
     */
    public void loaded(FileSealed sealed, long rowsLoaded, List<RefusedRow> refused) throws IOException {
        try {
            writeLoadedReports(sealed, rowsLoaded, refused);
        } catch (IOException e) {
            throw folders.unavailable(quarantineDir, e);
        }
    }

    private void writeLoadedReports(FileSealed sealed, long rowsLoaded, List<RefusedRow> refused) throws IOException {
        QualitySummary q = sealed.quality();
        if (!refused.isEmpty()) {
            addRefused(sealed, q == null ? null : q.sha256(), refused);
        }
        if (q != null && (q.rowsRejected() > 0 || !refused.isEmpty())) {
            Map<String, Long> rejections = new HashMap<>(q.rejections());
            long first = q.firstRejectedLine();
            long last = q.lastRejectedLine();
            if (!refused.isEmpty()) {
                rejections.put("row/" + DATABASE_RULE, (long) refused.size());
                first = first > 0 ? Math.min(first, refused.get(0).line()) : refused.get(0).line();
                last = Math.max(last, refused.get(refused.size() - 1).line());
            }
            writeSummary(new QualitySummary(q.fileName(), q.sha256(), q.ruleSetVersion(), q.source(), q.sourceVersion(),
                    q.rowsTotal(),
                    q.rowsRejected() + refused.size(), q.blankLines(), first, last, rejections), q.fileName(),
                    IngestStatus.LOADED, rowsLoaded, null);
        }
    }

    private void addRefused(FileSealed sealed, String sha256, List<RefusedRow> refused) throws IOException {
        Path errors = quarantineDir.resolve(ReportNames.of(sealed.fileName(), ReportNames.ERRORS));
        Path rejected = quarantineDir.resolve(ReportNames.of(sealed.fileName(), ReportNames.REJECTED));
        Set<Long> refusedLines = new HashSet<>();
        refused.forEach(r -> refusedLines.add(r.line()));
        TreeMap<Long, Map<String, Object>> entries = new TreeMap<>();
        if (Files.isRegularFile(errors, LinkOption.NOFOLLOW_LINKS)) {
            for (String json : readAllLines(errors)) {
                if (!json.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = Json.MAPPER.readValue(json, LinkedHashMap.class);
                    long line = ((Number) entry.get("line")).longValue();
                    if (!refusedLines.contains(line)) {
                        entries.put(line, entry);
                    }
                }
            }
        }
        for (RefusedRow row : refused) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", sealed.fileName());
            entry.put("file_sha256", sha256);
            entry.put("line", row.line());
            entry.put("raw", row.raw());
            entry.put("rule_set_version", rules.version());
            entry.put("source", sealed.quality() == null ? null : sealed.quality().source());
            entry.put("source_version", sealed.quality() == null ? null : sealed.quality().sourceVersion());
            entry.put("reasons", List.of(new Reason("row", DATABASE_RULE, "a row PostgreSQL accepts",
                    "SQLSTATE " + row.sqlState(), "refused by the database: " + row.reason())));
            entries.put(row.line(), entry);
        }
        StringBuilder jsonl = new StringBuilder();
        String[] header = headerLine(sealed.path(), rejected);
        StringBuilder csv = new StringBuilder(header[0]).append(header[1]);
        for (Map<String, Object> entry : entries.values()) {
            jsonl.append(Json.MAPPER.writeValueAsString(entry)).append('\n');
            csv.append(SpreadsheetSafe.line(String.valueOf(entry.get("raw")))).append(header[1]);
        }
        replace(errors, jsonl.toString());
        replace(rejected, csv.toString());
    }

    /**
     * The header for {@code X.csv.rejected.csv} and its line terminator, which every line rewritten here
     * takes: the one already there, or the input file's first line.
     */
    private static String[] headerLine(Path input, Path rejected) throws IOException {
        Path source = Files.isRegularFile(rejected, LinkOption.NOFOLLOW_LINKS) ? rejected : input;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(source,
                LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1 && c != '\n' && c != '\r') {
                line.append((char) c);
            }
            String ending = c == '\r' ? (reader.read() == '\n' ? "\r\n" : "\r") : "\n";
            return new String[] {line.toString().replace("\uFEFF", ""), ending};
        }
    }

    private static List<String> readAllLines(Path report) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(report,
                LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    private void replace(Path target, String content) throws IOException {
        folders.requireWritable(quarantineDir);
        SafeFiles.replace(target, content.getBytes(StandardCharsets.UTF_8));
    }

    private void writeSummary(QualitySummary q, String reportBase, IngestStatus status, long rowsLoaded, String reason)
            throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", q.fileName());
        summary.put("file_sha256", q.sha256());
        summary.put("status", status.name());
        if (reason != null) {
            summary.put("reason", reason);
        }
        summary.put("rule_set_version", q.ruleSetVersion());
        summary.put("source", q.source());
        summary.put("source_version", q.sourceVersion());
        summary.put("rows_total", q.rowsTotal());
        summary.put("rows_loaded", rowsLoaded);
        summary.put("rows_quarantined", q.rowsTotal() - rowsLoaded);
        summary.put("rows_rejected", q.rowsRejected());
        summary.put("blank_lines", q.blankLines());
        summary.put("first_rejected_line", q.firstRejectedLine() > 0 ? q.firstRejectedLine() : null);
        summary.put("last_rejected_line", q.lastRejectedLine() > 0 ? q.lastRejectedLine() : null);
        List<Map<String, Object>> rejections = new ArrayList<>();
        q.rejections().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int slash = e.getKey().lastIndexOf('/');
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("field", e.getKey().substring(0, slash));
            entry.put("rule", e.getKey().substring(slash + 1));
            entry.put("rows", e.getValue());
            rejections.add(entry);
        });
        summary.put("rejections", rejections);
        write(ReportNames.of(reportBase, ReportNames.SUMMARY), summary);
    }

    private void write(String name, Map<String, Object> content) throws IOException {
        folders.requireWritable(quarantineDir);
        SafeFiles.replace(quarantineDir.resolve(name), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(content));
    }
}
