package io.sensorpipe.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.records.QualitySummary;

/**
 * What a read leaves in {@code ingest_file}: its quality figures when it reaches the file's end
 * ({@link FileSealer}), a failed read with its error ({@link ReadFailures}).
 */
@ApplicationScoped
public class ReadLedger {

    private final DataSource dataSource;

    public ReadLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The figures of a read that reached the file's end: its counts, the rule set and source it was read
     * under, and its rejections per field and rule, in one transaction, for a file still
     * {@code PROCESSING}. A file quarantined meanwhile (the loader dead-lettered one of its records, say)
     * fails the read with that reason; one another read finished meanwhile is left as it is.
     */
    void recordQuality(long fileId, QualitySummary quality) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement counts = c.prepareStatement("UPDATE ingest_file SET rows_total = ?,"
                    + " rows_quarantined = ?, rows_blank = ?, rule_set_version = ?, first_rejected_line = ?,"
                    + " last_rejected_line = ?, source = ?, source_version = ? WHERE id = ? AND status = ?");
                    PreparedStatement clear = c.prepareStatement("DELETE FROM file_rejection WHERE file_id = ?");
                    PreparedStatement rejection = c.prepareStatement(
                            "INSERT INTO file_rejection (file_id, field, rule, rejections) VALUES (?, ?, ?, ?)")) {
                counts.setLong(1, quality.rowsTotal());
                counts.setLong(2, quality.rowsRejected());
                counts.setLong(3, quality.blankLines());
                counts.setString(4, quality.ruleSetVersion());
                setLine(counts, 5, quality.firstRejectedLine());
                setLine(counts, 6, quality.lastRejectedLine());
                counts.setString(7, quality.source());
                counts.setString(8, quality.sourceVersion());
                counts.setLong(9, fileId);
                counts.setString(10, IngestStatus.PROCESSING.name());
                if (counts.executeUpdate() == 0) {
                    String status = statusOf(c, fileId);
                    c.rollback();
                    if (IngestStatus.LOADED.is(status)) {
                        // Another instance read the same file and finished it meanwhile: nothing to record.
                        return;
                    }
                    throw new UnreadableFileException(quarantinedMeanwhile(c, fileId));
                }
                clear.setLong(1, fileId);
                clear.executeUpdate();
                for (Map.Entry<String, Long> e : quality.rejections().entrySet()) {
                    int slash = e.getKey().lastIndexOf('/');
                    rejection.setLong(1, fileId);
                    rejection.setString(2, e.getKey().substring(0, slash));
                    rejection.setString(3, e.getKey().substring(slash + 1));
                    rejection.setLong(4, e.getValue());
                    rejection.addBatch();
                }
                rejection.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Counts a failed read of the file (see {@link ReadFailures}) with its error; returns the reads failed so far. */
    public int failedRead(long fileId, String error) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ingest_file SET failed_reads = failed_reads + 1, error = ? WHERE id = ? RETURNING failed_reads")) {
            ps.setString(1, error);
            ps.setLong(2, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no ingest_file " + fileId);
                }
                return rs.getInt(1);
            }
        }
    }

    /** Why a file was quarantined while it was read (the loader dead-lettered one of its records, say). */
    private static String statusOf(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM ingest_file WHERE id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String quarantinedMeanwhile(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status, error FROM ingest_file WHERE id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "the file is no longer in ingest_file";
                }
                return rs.getString(2) != null ? rs.getString(2) : "the file is no longer PROCESSING but " + rs.getString(1);
            }
        }
    }

    private static void setLine(PreparedStatement ps, int index, long line) throws SQLException {
        if (line > 0) {
            ps.setLong(index, line);
        } else {
            ps.setNull(index, java.sql.Types.BIGINT);
        }
    }

}
