package io.sensorpipe.quarantine;

import io.sensorpipe.support.ReportNames;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.intake.SpreadsheetSafe;
import io.sensorpipe.records.QualitySummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
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
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Body;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.records.FileOutcome;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.RefusedRow;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.support.FolderUnavailableException;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.SafeFiles;
import io.sensorpipe.support.Texts;
import io.sensorpipe.records.Reason;
import io.sensorpipe.sources.RuleSet;

/** Writes rejected rows and unreadable files to the quarantine folder, each with its reason. */
@ApplicationScoped
@Named("quarantineWriter")
public class QuarantineWriter {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(QuarantineWriter.class);

    /** The rule under which a row PostgreSQL refused is reported. */
    public static final String DATABASE_RULE = "database";

    private final Path quarantineDir;
    private final IngestLedger ledger;
    private final RuleSet rules;
    private final InputFiles inputFiles;
    private final Folders folders;
    private final long maxReportBytes;
    private final int maxMessageChars;

    @Inject
    public QuarantineWriter(PipelineConfig config, IngestLedger ledger, RuleSet rules, InputFiles inputFiles,
            Folders folders) {
        this(Path.of(config.quarantineDir()), ledger, rules, inputFiles, folders, config.limits().maxReportBytes(),
                config.limits().maxMessageChars());
    }

    public QuarantineWriter(Path quarantineDir, IngestLedger ledger, RuleSet rules, InputFiles inputFiles,
            Folders folders, long maxReportBytes, int maxMessageChars) {
        this.maxReportBytes = maxReportBytes;
        this.maxMessageChars = maxMessageChars;
        this.quarantineDir = quarantineDir.toAbsolutePath();
        this.ledger = ledger;
        this.rules = rules;
        this.inputFiles = inputFiles;
        this.folders = folders;
    }

    /**
     * Dead-letter channel of {@code row-validation}: the body is the row's original {@link CsvLine},
     * the reasons say what is wrong with it.
     */
    public void rejectRow(@Body CsvLine line, @ExchangeProperty(ExchangeProperties.REJECTION_REASONS) List<Reason> reasons,
            @ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.CSV_LAYOUT) CsvLayout layout) throws IOException {
        if (intake.unreportable() == null) {
            try {
                if (intake.rowReports(RejectSink.class) == null) {
                    folders.requireWritable(quarantineDir);
                    intake.rowReports(new RejectSink(quarantineDir, intake.fileName(), intake.sha256(),
                            layout.headerLine(), layout.headerEnding(), rules.version(), layout.source(),
                            maxReportBytes));
                }
                intake.unreportable(intake.rowReports(RejectSink.class).write(line, reasons));
            } catch (IOException e) {
                IOException failure = folders.unavailable(quarantineDir, e);
                if (failure instanceof FolderUnavailableException) {
                    throw failure; // waited out: the read is retried once the folder is back
                }
                // Nothing to wait for (a link where a report goes, say): the file is quarantined whole.
                intake.unreportable("its rejected rows cannot be reported: " + e.getMessage());
            }
        }
        // Counted either way: a row whose report stopped belongs to a file that is quarantined whole.
        intake.rowRejected(line.lineNumber(), reasons);
    }

    /**
     * Quarantines a whole file: marks it {@code QUARANTINED} (removing any rows already loaded), writes
     * {@code X.csv.error.json} and {@code X.csv.summary.json}, and moves the file to
     * {@code quarantine/X.csv}. Returns the seal that discards the file's metrics.
     */
    public FileSealed quarantineFile(Exchange exchange) throws IOException, SQLException {
        FileIntake intake = exchange.getProperty(ExchangeProperties.FILE_INTAKE, FileIntake.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = Texts.cut(cause == null ? "unknown" : cause.getMessage(), maxMessageChars);
        exchange.setProperty(ExchangeProperties.QUARANTINE_REASON, reason);
        try {
            intake.closeRowReports();
        } catch (IOException e) {
            // The file is quarantined whole: its row reports are superseded by error.json.
        }
        intake.setAsideIfReplaced();
        long removed = ledger.quarantined(intake, reason);
        QualitySummary quality = intake.quality(rules.version());
        if (removed == IngestLedger.FINISHED_ELSEWHERE) {
            // Read twice (by two instances), and finished by the other read: this one is dropped.
            LOG.warnf("%s was finished by another read meanwhile: this read (%s) is dropped", intake.fileName(), reason);
            exchange.removeProperty(ExchangeProperties.FILE_EVENT);
            return new FileSealed(intake.fileId(), intake.fileName(), intake.path(), intake.rowsRead(), 0, 0,
                    intake.startedAt(), quality, true);
        }
        exchange.setProperty(ExchangeProperties.FILE_EVENT, finishQuarantine(intake.fileId(), intake.path(), intake.sha256(),
                intake.sizeBytes(), intake.rowsRead(), removed, quality, reason));
        return new FileSealed(intake.fileId(), intake.fileName(), intake.path(), intake.rowsRead(), intake.rowsRead(), 0,
                intake.startedAt(), quality, true);
    }

    /**
     * Finishes a file the loader quarantined because one of its records was dead-lettered (its status
     * and the removal of its rows were committed with the dead letter): its reports, and the move.
     */
    public FileOutcome finishPoisoned(FileSealed sealed, String reason) throws IOException {
        // Its loaded rows were removed by the loader, in the transaction that quarantined it.
        return quarantinedOutcome(sealed, reason, finishQuarantine(sealed.fileId(), sealed.path(),
                sha256(sealed), size(sealed), sealed.rowsTotal(), -1, sealed.quality(), reason));
    }

    /**
     * Error handling of {@code metrics-aggregator}: a completed file whose writing kept failing for a
     * reason that is not an outage is quarantined whole, with the exception as its reason.
     */
    public FileOutcome quarantineCompleted(FileSealed sealed, Exception cause) throws Exception {
        if (sealed == null || sealed.discarded()) {
            throw cause;
        }
        String reason = Texts.cut("completing the file failed: " + cause, maxMessageChars);
        long removed = ledger.quarantined(sealed.fileId(), sealed.rowsTotal(), reason);
        if (removed == IngestLedger.FINISHED_ELSEWHERE) {
            return new FileOutcome(sealed, sealed.fileName() + " was finished meanwhile; not quarantined (" + reason + ")");
        }
        FileOutcome outcome = quarantinedOutcome(sealed, reason, finishQuarantine(sealed.fileId(), sealed.path(),
                sha256(sealed), size(sealed), sealed.rowsTotal(), removed, sealed.quality(), reason));
        LOG.errorf("%s", outcome.message());
        return outcome;
    }

    private static FileOutcome quarantinedOutcome(FileSealed sealed, String reason, FileEvent event) {
        return new FileOutcome(sealed, sealed.fileName() + " QUARANTINED: " + reason, event);
    }

    private static String sha256(FileSealed sealed) {
        return sealed.quality() == null ? null : sealed.quality().sha256();
    }

    private static long size(FileSealed sealed) {
        try {
            return Files.size(sealed.path());
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The reports of a file quarantined whole, and its move to {@code quarantine/}; returns its event.
     * {@code removed} is negative when the rows were removed earlier, counted elsewhere.
     */
    private FileEvent finishQuarantine(long fileId, Path path, String sha256, long size, long rowsRead, long removed,
            QualitySummary quality, String reason) throws IOException {
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
        inputFiles.release(path, destination);
        return FileEvent.finished(fileId, path.toAbsolutePath().toString(), name, sha256, IngestStatus.QUARANTINED, rowsRead, 0,
                rowsRead, reason);
    }

    /**
     * Completes the quarantine of a file about to be marked {@code LOADED}: adds the rows PostgreSQL
     * refused to {@code X.csv.errors.jsonl} and {@code X.csv.rejected.csv} (in line order, with the
     * database's reason) and writes {@code X.csv.summary.json} when any row was rejected. Both files
     * are rewritten whole, so doing this again after a crash leaves them as if done once.
     */
    public void finishLoaded(FileSealed sealed, long rowsLoaded, List<RefusedRow> refused) throws IOException {
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
