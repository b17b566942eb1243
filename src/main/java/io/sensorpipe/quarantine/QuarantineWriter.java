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

import org.apache.camel.Exchange;

import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.CsvLayout;
import io.sensorpipe.intake.CsvLine;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
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
     * Quarantines a whole file: writes {@code X.csv.error.json}, marks it {@code QUARANTINED} and
     * points the file consumer's move at {@code quarantine/X.csv}.
     */
    public void quarantineFile(Exchange exchange) throws IOException, SQLException {
        FileIntake intake = exchange.getProperty(FileIntake.PROPERTY, FileIntake.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getMessage();
        intake.closeRejects();
        Files.createDirectories(quarantineDir);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("file", intake.fileName());
        report.put("sha256", intake.sha256());
        report.put("size_bytes", intake.sizeBytes());
        report.put("reason", reason);
        report.put("quarantined_at", Instant.now().toString());
        Files.writeString(quarantineDir.resolve(intake.fileName() + ".error.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        ledger.quarantined(intake, reason);
        exchange.setProperty(IngestLedger.DESTINATION, quarantineDir.resolve(intake.fileName()).toString());
    }
}
