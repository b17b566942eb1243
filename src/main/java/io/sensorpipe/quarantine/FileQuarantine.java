package io.sensorpipe.quarantine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.QuarantinedFiles;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.records.FileOutcome;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.QualitySummary;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.support.Texts;

/**
 * Quarantines a file whole: {@code QUARANTINED} in {@code ingest_file} with its loaded rows removed
 * ({@link QuarantinedFiles}), then its reports ({@link QuarantineReports}). Returns the outcome; the route
 * that called moves the file to where the outcome says.
 */
@ApplicationScoped
@Named("fileQuarantine")
public class FileQuarantine {

    private static final Logger LOG = Logger.getLogger(FileQuarantine.class);

    private final QuarantinedFiles quarantinedFiles;
    private final QuarantineReports reports;
    private final RuleSet rules;
    private final int maxMessageChars;

    @Inject
    public FileQuarantine(QuarantinedFiles quarantinedFiles, QuarantineReports reports, RuleSet rules,
            PipelineConfig config) {
        this(quarantinedFiles, reports, rules, config.limits().maxMessageChars());
    }

    public FileQuarantine(QuarantinedFiles quarantinedFiles, QuarantineReports reports, RuleSet rules,
            int maxMessageChars) {
        this.quarantinedFiles = quarantinedFiles;
        this.reports = reports;
        this.rules = rules;
        this.maxMessageChars = maxMessageChars;
    }

    /**
     * {@code file-quarantine}: a file whose read cannot go on, with the exception as its reason. The
     * outcome's seal discards the file's metrics.
     */
    public FileOutcome quarantineRead(@ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) throws IOException, SQLException {
        String reason = Texts.cut(cause == null ? "unknown" : cause.getMessage(), maxMessageChars);
        try {
            intake.closeRowReports();
        } catch (IOException e) {
            // The file is quarantined whole: its row reports are superseded by error.json.
        }
        intake.setAsideIfReplaced();
        long removed = quarantinedFiles.quarantine(intake.fileId(), intake.rowsRead(), reason, intake.source());
        QualitySummary quality = intake.quality(rules.version());
        if (removed == QuarantinedFiles.NOT_QUARANTINED) {
            // Read twice (by two instances), and finished by the other read: this one is dropped.
            return FileOutcome.unchanged(new FileSealed(intake.fileId(), intake.fileName(), intake.path(),
                    intake.rowsRead(), 0, 0, intake.startedAt(), quality, true), intake.fileName()
                    + " was finished by another read meanwhile: this read (" + reason + ") is dropped");
        }
        FileSealed sealed = new FileSealed(intake.fileId(), intake.fileName(), intake.path(), intake.rowsRead(),
                intake.rowsRead(), 0, intake.startedAt(), quality, true);
        return quarantined(sealed, intake.sha256(), intake.sizeBytes(), removed, reason);
    }

    /**
     * {@code metrics-aggregator}: a file the loader quarantined because one of its records was
     * dead-lettered (its status and the removal of its rows were committed with the dead letter).
     */
    public FileOutcome finishPoisoned(FileSealed sealed, String reason) throws IOException {
        return quarantined(sealed, sha256(sealed), size(sealed), -1, reason);
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
        long removed = quarantinedFiles.quarantine(sealed.fileId(), sealed.rowsTotal(), reason, null);
        if (removed == QuarantinedFiles.NOT_QUARANTINED) {
            return FileOutcome.unchanged(sealed, sealed.fileName() + " was finished meanwhile; not quarantined ("
                    + reason + ")");
        }
        FileOutcome outcome = quarantined(sealed, sha256(sealed), size(sealed), removed, reason);
        LOG.errorf("%s", outcome.message());
        return outcome;
    }

    /** {@code removed} is negative when the rows were removed earlier, counted elsewhere. */
    private FileOutcome quarantined(FileSealed sealed, String sha256, long size, long removed, String reason)
            throws IOException {
        Path destination = reports.setAside(sealed.path(), sha256, size, sealed.rowsTotal(), removed,
                sealed.quality(), reason);
        FileEvent event = FileEvent.finished(sealed.fileId(), sealed.path().toAbsolutePath().toString(),
                sealed.fileName(), sha256, IngestStatus.QUARANTINED, sealed.rowsTotal(), 0, sealed.rowsTotal(), reason);
        return new FileOutcome(FileOutcome.Verdict.QUARANTINED, sealed, destination,
                sealed.fileName() + " QUARANTINED: " + reason, event);
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
}
