package io.sensorpipe.intake;

import java.io.IOException;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.ExchangeProperty;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.QualitySummary;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.support.FolderUnavailableException;
import io.sensorpipe.support.Folders;

/**
 * Ends a read (csv-intake's {@code seal-file}): a file is sealed only when its books balance, it did not
 * change while it was read, it has data rows and its share of rejected rows is within
 * {@code pipeline.max-rejected-percent}; otherwise the read fails and the file is read again or
 * quarantined whole.
 */
@ApplicationScoped
@Named("fileSealer")
public class FileSealer {

    private final ReadLedger ledger;
    private final Folders folders;
    private final String ruleSetVersion;
    private final double maxRejectedPercent;

    public FileSealer(ReadLedger ledger, Folders folders, RuleSet rules, PipelineConfig config) {
        this.ledger = ledger;
        this.folders = folders;
        this.ruleSetVersion = rules.version();
        this.maxRejectedPercent = config.maxRejectedPercent();
    }

    /**
     * Why a file read to its end cannot be loaded, or null when it can: no data rows, or more rejected
     * rows than {@code pipeline.max-rejected-percent}. The seal's policy, also check-file's.
     */
    public static String refusal(QualitySummary quality, double maxRejectedPercent) {
        if (quality.rowsTotal() == 0) {
            return "no data rows: the file has a header only"
                    + (quality.blankLines() > 0 ? " and " + quality.blankLines() + " blank lines" : "");
        }
        if (quality.rowsRejected() * 100.0 > maxRejectedPercent * quality.rowsTotal()) {
            return String.format(java.util.Locale.ROOT, "%d of %d rows rejected (%.1f %%), above the limit of %s %%",
                    quality.rowsRejected(), quality.rowsTotal(), quality.rowsRejected() * 100.0 / quality.rowsTotal(),
                    new java.math.BigDecimal(Double.toString(maxRejectedPercent)).stripTrailingZeros().toPlainString());
        }
        return null;
    }

    /**
     * Records the quality figures of a file read to its end and decides whether it can be loaded:
     * a file without data rows, or with more rejected rows than allowed, is quarantined whole.
     */
    public FileSealed seal(@ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake) throws SQLException, IOException {
        try {
            intake.closeRowReports();
        } catch (IOException e) {
            throw folders.unavailable(folders.quarantine(), e);
        }
        intake.requireReportable();
        intake.setAsideIfReplaced();
        if (intake.modifiedWhileRead()) {
            throw new UnreadableFileException("the file changed while it was read: what was read is not what was"
                    + " hashed; drop it again once it is complete");
        }
        if (intake.rowsPublished() + intake.rowsRejected() != intake.rowsRead()) {
            // A row neither sent nor reported (its quarantine write failed, say): the books must balance
            // before the file can be sealed, so it is read again.
            String lost = String.format(java.util.Locale.ROOT, "%d rows read, but %d sent to Kafka and %d quarantined:"
                    + " the outcome of some rows was not recorded", intake.rowsRead(), intake.rowsPublished(),
                    intake.rowsRejected());
            String problem = Folders.probe(folders.quarantine());
            if (problem != null) {
                throw new FolderUnavailableException(folders.quarantine(), problem + " (" + lost + ")", null);
            }
            throw new IllegalStateException(lost);
        }
        QualitySummary quality = intake.quality(ruleSetVersion);
        ledger.recordQuality(intake.fileId(), quality);
        String refusal = refusal(quality, maxRejectedPercent);
        if (refusal != null) {
            throw new UnreadableFileException(refusal);
        }
        return new FileSealed(intake.fileId(), intake.fileName(), intake.path(), intake.rowsRead(), intake.rowsRejected(),
                intake.rowsPublished(), intake.startedAt(), quality, false);
    }
}
