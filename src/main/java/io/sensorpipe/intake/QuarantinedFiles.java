package io.sensorpipe.intake;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.EnumSet;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.sources.Source;

/**
 * The one place a file is quarantined whole in the database: its {@code ingest_file} row becomes
 * {@code QUARANTINED} with the reason, and the rows the loader committed of it are removed, in one
 * transaction. The loader, which inserts only rows of files it finds {@code PROCESSING} under a share
 * lock, waits for this decision or sees it. Whoever quarantines says from which statuses: the read of a
 * file from any but {@code LOADED} (it may be quarantined again after a crash or after the loader did),
 * the loader only from {@code PROCESSING}.
 */
@ApplicationScoped
public class QuarantinedFiles {

    /** What {@link #quarantine} returns when the file's status is not one it may be quarantined from. */
    public static final long NOT_QUARANTINED = -2;

    /** Statuses the read of a file quarantines it from: all but {@code LOADED} (finished by another read). */
    public static final Set<IngestStatus> UNLESS_LOADED = EnumSet.complementOf(EnumSet.of(IngestStatus.LOADED));

    // rows_total stays as it is (NULL while the file is still being read) unless the read counted its rows.
    static final String MARK = "UPDATE ingest_file SET status = ?, rows_total = coalesce(?, rows_total),"
            + " rows_loaded = 0, rows_quarantined = coalesce(?, rows_total), error = ?, completed_at = now(),"
            + " source = coalesce(?, source), source_version = coalesce(?, source_version)"
            + " WHERE id = ? AND status = ANY (?)";

    /** A file's readings and their configured quantities' values; counts the readings. */
    public static final String REMOVE_ROWS = "WITH extra AS (DELETE FROM reading_value WHERE file_id = ?)"
            + " DELETE FROM reading WHERE file_id = ?";

    private final DataSource dataSource;

    public QuarantinedFiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Quarantines the file in its own transaction, from any status but {@code LOADED}.
     *
     * @param rowsRead the rows the read counted, or null to keep what {@code ingest_file} has
     * @param source   the source the file was read as, or null to keep what {@code ingest_file} has
     * @return the rows removed from {@code reading}, or {@link #NOT_QUARANTINED} for a file another read
     *         finished meanwhile (left as it is)
     */
    public long quarantine(long fileId, Long rowsRead, String reason, Source source) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long removed = quarantine(c, fileId, rowsRead, reason, source, UNLESS_LOADED);
                c.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** As {@link #quarantine(long, Long, String, Source)}, in the caller's transaction, from {@code from} only. */
    public long quarantine(Connection c, long fileId, Long rowsRead, String reason, Source source,
            Set<IngestStatus> from) throws SQLException {
        try (PreparedStatement mark = c.prepareStatement(MARK)) {
            mark.setString(1, IngestStatus.QUARANTINED.name());
            setCount(mark, 2, rowsRead);
            setCount(mark, 3, rowsRead);
            mark.setString(4, reason);
            mark.setString(5, source == null ? null : source.name());
            mark.setString(6, source == null ? null : source.version());
            mark.setLong(7, fileId);
            Array statuses = c.createArrayOf("text", from.stream().map(Enum::name).toArray());
            mark.setArray(8, statuses);
            if (mark.executeUpdate() == 0) {
                return NOT_QUARANTINED;
            }
        }
        try (PreparedStatement remove = c.prepareStatement(REMOVE_ROWS)) {
            remove.setLong(1, fileId);
            remove.setLong(2, fileId);
            return remove.executeUpdate();
        }
    }

    private static void setCount(PreparedStatement ps, int index, Long count) throws SQLException {
        if (count == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, count);
        }
    }
}
