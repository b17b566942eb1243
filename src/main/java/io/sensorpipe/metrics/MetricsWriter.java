package io.sensorpipe.metrics;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.quarantine.QuarantineReports;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.records.FileOutcome;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.RefusedRow;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.support.Folders;

/**
 * {@code metrics-aggregator}'s bean: finishes a file whose aggregate completed. Checks against the
 * database that every row it sent is loaded or refused ({@link Completeness}), writes its metrics and
 * marks it {@code LOADED} with its final counts ({@link LoadedFiles}), in one transaction that only a
 * {@code PROCESSING} file passes, so the metrics of a file exist exactly when its status says it is loaded
 * and a seal met twice finishes the file once. When the aggregate does not hold exactly the rows in the
 * database (the pipeline restarted while the file was loading), the metrics are computed by SQL over its
 * rows instead. Returns the outcome: the route moves the file to {@code data/.done/}.
 */
@ApplicationScoped
@Named("metricsWriter")
public class MetricsWriter {

    private static final Logger LOG = Logger.getLogger(MetricsWriter.class);

    private final DataSource dataSource;
    private final QuarantineReports reports;
    private final Folders folders;
    private final SourceCatalog sources;

    public MetricsWriter(DataSource dataSource, QuarantineReports reports, Folders folders, SourceCatalog sources) {
        this.dataSource = dataSource;
        this.reports = reports;
        this.folders = folders;
        this.sources = sources;
    }

    public FileOutcome write(@Body FileMetrics metrics) throws SQLException, IOException {
        FileSealed sealed = metrics.sealed();
        long fileId = metrics.getFileId();
        long loaded;
        List<RefusedRow> refused;
        boolean recomputed;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String status = LoadedFiles.lockStatus(c, fileId);
                if (!IngestStatus.PROCESSING.is(status)) {
                    c.rollback();
                    return FileOutcome.unchanged(sealed, sealed.fileName() + " is already " + status
                            + ": rows delivered again were skipped");
                }
                loaded = LoadedFiles.count(c, fileId);
                refused = LoadedFiles.refused(c, fileId);
                switch (Completeness.of(loaded, refused.size(), sealed.rowsExpected())) {
                    case ROWS_MISSING -> {
                        c.rollback();
                        throw new IllegalStateException(String.format("%d of the %d rows the read sent are in the"
                                + " database when its seal arrived", loaded + refused.size(), sealed.rowsExpected()));
                    }
                    case MORE_THAN_SENT -> LOG.warnf("%s: %d rows in the database, more than the %d this read sent:"
                            + " rows loaded by an earlier read under other rules stay loaded", sealed.fileName(),
                            loaded + refused.size(), sealed.rowsExpected());
                    case COMPLETE -> {
                    }
                }
                recomputed = metrics.rowsLoaded() != loaded;
                if (recomputed) {
                    LoadedFiles.insertFromRows(c, fileId, sources.quantities());
                } else {
                    LoadedFiles.insert(c, metrics);
                }
                LoadedFiles.markLoaded(c, fileId, loaded, refused);
                // Reports first: rewritten whole, so a crash before the commit only repeats them.
                reports.loaded(sealed, loaded, refused);
                // The file leaves data/ once LOADED: wait (PROCESSING) while data/.done cannot take it.
                folders.requireWritable(folders.done());
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        FileEvent loadedEvent = FileEvent.finished(fileId, sealed.path().toAbsolutePath().toString(),
                sealed.fileName(), sealed.quality() == null ? null : sealed.quality().sha256(), IngestStatus.LOADED,
                sealed.rowsTotal(), loaded, sealed.rowsTotal() - loaded, null);
        return new FileOutcome(FileOutcome.Verdict.LOADED, sealed, folders.doneFile(fileId, sealed.fileName()),
                String.format("%s LOADED: %d rows, %d loaded, %d quarantined (%d refused by the database), metrics %s,"
                        + " %d ms since detection",
                        sealed.fileName(), sealed.rowsTotal(), loaded, sealed.rowsQuarantined() + refused.size(),
                        refused.size(), recomputed ? "computed from the loaded rows (the load was resumed)"
                                : metrics.stats().size() + " rows",
                        System.currentTimeMillis() - sealed.startedAt()), loadedEvent);
    }
}
