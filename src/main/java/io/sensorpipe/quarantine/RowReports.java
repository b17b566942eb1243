package io.sensorpipe.quarantine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.Reason;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.support.FolderUnavailableException;
import io.sensorpipe.support.Folders;

/**
 * {@code row-quarantine}'s bean: writes a rejected row to {@code quarantine/X.csv.rejected.csv} and its
 * reasons to {@code X.csv.errors.jsonl} ({@link RejectSink}, opened at the file's first rejected row).
 */
@ApplicationScoped
@Named("rowReports")
public class RowReports {

    private final Path quarantineDir;
    private final RuleSet rules;
    private final Folders folders;
    private final long maxReportBytes;

    @Inject
    public RowReports(PipelineConfig config, RuleSet rules, Folders folders) {
        this(Path.of(config.quarantineDir()), rules, folders, config.limits().maxReportBytes());
    }

    public RowReports(Path quarantineDir, RuleSet rules, Folders folders, long maxReportBytes) {
        this.quarantineDir = quarantineDir.toAbsolutePath();
        this.rules = rules;
        this.folders = folders;
        this.maxReportBytes = maxReportBytes;
    }

    /**
     * Reports a row {@code row-validation} rejected: the body is the row's original {@link CsvLine}, the
     * reasons say what is wrong with it. A report that cannot be written for a reason that will not heal
     * by waiting marks the file unreportable (it is then quarantined whole); the row is counted either way.
     */
    public void write(@Body CsvLine line, @ExchangeProperty(ExchangeProperties.REJECTION_REASONS) List<Reason> reasons,
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
}
