package io.sensorpipe.quarantine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.Exchange;

import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.CsvLine;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.metrics.FileMetrics;
import io.sensorpipe.metrics.FileSealed;
import io.sensorpipe.validation.Reason;
import io.sensorpipe.validation.Reasons;
import io.sensorpipe.validation.RuleSet;

/** Writes rejected rows and unreadable files to the quarantine folder, each with its reason. */
@ApplicationScoped
@Named("quarantineWriter")
public class QuarantineWriter {

    private final Path quarantineDir;
    private final IngestLedger ledger;
    private final RuleSet rules;

    @Inject
    public QuarantineWriter(PipelineConfig config, IngestLedger ledger, RuleSet rules) {
        this(Path.of(config.quarantineDir()), ledger, rules);
    }

    public QuarantineWriter(Path quarantineDir, IngestLedger ledger, RuleSet rules) {
        this.quarantineDir = quarantineDir.toAbsolutePath();
        this.ledger = ledger;
        this.rules = rules;
    }

    /**
     * Dead-letter channel of {@code row-validation}: the body is the row's original {@link CsvLine},
     * the caught exception says what is wrong with it.
     */
    public void rejectRow(Exchange exchange) throws IOException {
        FileIntake intake = exchange.getProperty(FileIntake.PROPERTY, FileIntake.class);
        CsvLayout layout = exchange.getProperty(HeaderInspector.LAYOUT, CsvLayout.class);
        CsvLine line = exchange.getMessage().getBody(CsvLine.class);
        List<Reason> reasons = Reasons.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (intake.rejects() == null) {
            intake.rejects(new RejectSink(quarantineDir, intake.fileName(), intake.sha256(), layout.headerLine(),
                    rules.version()));
        }
        intake.rejects().write(line, reasons);
        intake.rowRejected(line.lineNumber(), reasons);
    }

    /**
     * Quarantines a whole file: marks it {@code QUARANTINED} (removing any rows already loaded), writes
     * {@code X.csv.error.json} and {@code X.csv.summary.json}, and points the file consumer's move at
     * {@code quarantine/X.csv}. Returns the seal that discards the file's metrics.
     */
    public FileSealed quarantineFile(Exchange exchange) throws IOException, SQLException {
        FileIntake intake = exchange.getProperty(FileIntake.PROPERTY, FileIntake.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getMessage();
        intake.closeRejects();
        ledger.setAsideIfReplaced(intake);
        long removed = ledger.quarantined(intake, reason);
        QualitySummary quality = intake.quality(rules.version());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", intake.fileName());
        report.put("file_sha256", intake.sha256());
        report.put("size_bytes", intake.sizeBytes());
        report.put("reason", reason);
        report.put("rows_read", intake.rowsRead());
        report.put("rows_removed_from_database", removed);
        report.put("rule_set_version", rules.version());
        report.put("quarantined_at", Instant.now().toString());
        write(intake.fileName() + ".error.json", report);
        writeSummary(quality, "QUARANTINED", 0, reason);
        exchange.setProperty(IngestLedger.DESTINATION, quarantineDir.resolve(intake.fileName()).toString());
        return new FileSealed(intake.fileId(), intake.fileName(), intake.rowsRead(), intake.rowsRead(), 0,
                intake.startNanos(), quality, true);
    }

    /** Writes {@code X.csv.summary.json} for a loaded file that had rejected rows. */
    public void summariseLoaded(@Body FileMetrics metrics) throws IOException {
        FileSealed sealed = metrics.sealed();
        if (!sealed.discarded() && sealed.quality().rowsRejected() > 0) {
            writeSummary(sealed.quality(), "LOADED", metrics.rowsLoaded(), null);
        }
    }

    private void writeSummary(QualitySummary q, String status, long rowsLoaded, String reason) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("file", q.fileName());
        summary.put("file_sha256", q.sha256());
        summary.put("status", status);
        if (reason != null) {
            summary.put("reason", reason);
        }
        summary.put("rule_set_version", q.ruleSetVersion());
        summary.put("rows_total", q.rowsTotal());
        summary.put("rows_loaded", rowsLoaded);
        summary.put("rows_quarantined", q.rowsTotal() - rowsLoaded);
        summary.put("rows_rejected", q.rowsRejected());
        summary.put("blank_lines", q.blankLines());
        summary.put("first_rejected_line", q.firstRejectedLine() > 0 ? q.firstRejectedLine() : null);
        summary.put("last_rejected_line", q.lastRejectedLine() > 0 ? q.lastRejectedLine() : null);
        List<Map<String, Object>> rejections = new java.util.ArrayList<>();
        q.rejections().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int slash = e.getKey().lastIndexOf('/');
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("field", e.getKey().substring(0, slash));
            entry.put("rule", e.getKey().substring(slash + 1));
            entry.put("rows", e.getValue());
            rejections.add(entry);
        });
        summary.put("rejections", rejections);
        write(q.fileName() + ".summary.json", summary);
    }

    private void write(String name, Map<String, Object> content) throws IOException {
        Files.createDirectories(quarantineDir);
        Files.writeString(quarantineDir.resolve(name), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(content));
    }
}
