package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.sensorpipe.IngestStatus;

/**
 * The {@code ingest_file} rows of a batch's files, share-locked for the loader's transaction: a file
 * quarantined whole (decided under an exclusive lock) gets no rows, and one no longer {@code PROCESSING}
 * gets no metrics.
 *
 * @param status each known file's status (a dead letter's quarantine updates it)
 * @param names  each known file's name as {@code ingest_file} has it
 */
record LockedFiles(Map<Long, String> status, Map<Long, String> names) {

    static final String LOCK_FILES = "SELECT id, status, file_name FROM ingest_file WHERE id = ANY (?) FOR SHARE";

    /** Share-locks the files' rows. */
    static LockedFiles lock(Connection c, Set<Long> fileIds) throws SQLException {
        Map<Long, String> status = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_FILES)) {
            ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getLong(1), rs.getString(2));
                    names.put(rs.getLong(1), rs.getString(3));
                }
            }
        }
        return new LockedFiles(status, names);
    }

    boolean knows(long fileId) {
        return status.containsKey(fileId);
    }

    /** Whether rows of the file may be loaded: it is known, and not quarantined. */
    boolean isLoadable(long fileId) {
        String fileStatus = status.get(fileId);
        return fileStatus != null && !IngestStatus.QUARANTINED.is(fileStatus);
    }

    /** The files still {@code PROCESSING}. */
    Set<Long> inProgress() {
        Set<Long> processing = new HashSet<>();
        status.forEach((id, s) -> {
            if (IngestStatus.PROCESSING.is(s)) {
                processing.add(id);
            }
        });
        return processing;
    }

    /**
     * The file a record that cannot be loaded is pinned on: the one it names only when ingest_file knows
     * that id under the name the record gives too; otherwise none, and the record is dead-lettered alone.
     */
    Long provenFile(Long fileId, String nameInRecord) {
        return fileId != null && status.containsKey(fileId) && nameInRecord != null
                && nameInRecord.equals(names.get(fileId)) ? fileId : null;
    }
}
