package io.sensorpipe.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.QualitySummary;

/**
 * Keeps {@code ingest_file}, the record of every file the pipeline has seen: a file's arrival (decided by
 * its content), its quality figures, a failed read, its quarantine; and where a finished file goes. What
 * the intake does with a file on arrival is {@link FileArrivals}'s; what ends a read, {@link FileSealer}'s.
 */
@ApplicationScoped
@Named("ingestLedger")
public class IngestLedger {

    /** A file's readings and their configured quantities' values; counts the readings. */
    public static final String REMOVE_ROWS = "WITH extra AS (DELETE FROM reading_value WHERE file_id = ?)"
            + " DELETE FROM reading WHERE file_id = ?";

    /** What becomes of a file the consumer picked up. */
    public enum Verdict {
        /** Read it: a new content, or one whose earlier read did not finish (same file id). */
        READ,
        /** Its content is loaded or being loaded under another file id: recorded and moved out unread. */
        DUPLICATE,
        /** It was loaded before a crash stopped it from leaving the data folder: only moved out. */
        FINISHED_EARLIER,
        /** No longer a plain file (a link or a second name since it was picked up): not opened, not recorded. */
        SCREENED
    }

    /**
     * The decision about a file and the {@code ingest_file} id it is recorded under.
     *
     * @param originalId for a duplicate, the file whose content it repeats; otherwise the file's own id
     */
    public record Arrival(Verdict verdict, long fileId, long originalId, int failedReads) {
        public Arrival(Verdict verdict, long fileId) {
            this(verdict, fileId, fileId, 0);
        }
    }

    private final DataSource dataSource;
    private final Path dataDir;
    private final Path doneDir;

    @jakarta.inject.Inject
    public IngestLedger(DataSource dataSource, PipelineConfig config) {
        this.dataSource = dataSource;
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath();
        this.doneDir = this.dataDir.resolve(".done");
    }

    /**
     * Where a finished input file goes: {@code data/.done/<ingest_file id>-<name>}, the name shortened
     * (with a hash of it) when the whole would be too long for the file system.
     */
    public Path doneFile(long fileId, String name) {
        String done = fileId + "-" + name;
        return doneDir.resolve(done.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255 ? done
                : fileId + "-" + io.sensorpipe.support.ReportNames.base(name));
    }

    /**
     * Marks a file that cannot be ingested as a whole, and removes any of its rows the loader has
     * already committed, in one transaction. The row lock makes the loader, which inserts only rows of
     * files not quarantined and share-locks the file's row to check, wait for this decision or see it.
     *
     * @return rows removed from {@code reading}
     */
    public long quarantined(FileIntake intake, String reason) throws SQLException {
        return quarantined(intake.fileId(), intake.rowsRead(), reason, intake.source());
    }

    /** What {@link #quarantined} returns for a file another read finished meanwhile (left as it is). */
    public static final long FINISHED_ELSEWHERE = -2;

    /**
     * As {@link #quarantined(FileIntake, String)}, for a file of {@code rowsRead} rows. A file that another
     * read finished meanwhile (say, on another instance) keeps its {@code LOADED} status and its rows, and
     * {@link #FINISHED_ELSEWHERE} is returned.
     */
    public long quarantined(long fileId, long rowsRead, String reason) throws SQLException {
        return quarantined(fileId, rowsRead, reason, null);
    }

    /** As {@link #quarantined(long, long, String)}, recording the source the file was read as, when known. */
    private long quarantined(long fileId, long rowsRead, String reason, io.sensorpipe.sources.Source source)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM ingest_file WHERE id = ? FOR UPDATE");
                    PreparedStatement mark = c.prepareStatement("UPDATE ingest_file SET status = ?,"
                            + " rows_total = ?, rows_loaded = 0, rows_quarantined = ?, error = ?, completed_at = now(),"
                            + " source = coalesce(?, source), source_version = coalesce(?, source_version)"
                            + " WHERE id = ? AND status <> ?");
                    PreparedStatement remove = c.prepareStatement(REMOVE_ROWS)) {
                lock.setLong(1, fileId);
                lock.executeQuery().close();
                mark.setString(1, IngestStatus.QUARANTINED.name());
                mark.setLong(2, rowsRead);
                mark.setLong(3, rowsRead);
                mark.setString(4, reason);
                mark.setString(5, source == null ? null : source.name());
                mark.setString(6, source == null ? null : source.version());
                mark.setLong(7, fileId);
                mark.setString(8, IngestStatus.LOADED.name());
                if (mark.executeUpdate() == 0) {
                    c.rollback();
                    return FINISHED_ELSEWHERE;
                }
                remove.setLong(1, fileId);
                remove.setLong(2, fileId);
                long removed = remove.executeUpdate();
                c.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Records the arrival of a file in one transaction. A file is known by its content: the SHA-256 of
     * its content after decompression, or, for a content that cannot be read whole (the read will say
     * why) and for rows recorded before content hashes were kept, of its bytes as dropped. At most one
     * {@code PROCESSING} or {@code LOADED} row exists per content (unique indexes on both hashes), so the
     * same rows can never be loaded under two ids, whether they came compressed or not.
     */
    Arrival recordArrival(String name, ContentHash.Identity identity, long size) throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                return tryArrival(name, identity, size);
            } catch (SQLException e) {
                // The same content recorded meanwhile by another transaction (an upload handing this very
                // file over, say): the next attempt finds it.
                if (!"23505".equals(e.getSQLState()) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private Arrival tryArrival(String name, ContentHash.Identity identity, long size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement find = c.prepareStatement("SELECT id, file_name, status, failed_reads, content_sha256"
                    + " FROM ingest_file WHERE (content_sha256 = ? OR sha256 = ?) AND status IN (?, ?)"
                    + " ORDER BY id FOR UPDATE")) {
                find.setString(1, identity.contentSha256());
                find.setString(2, identity.sha256());
                find.setString(3, IngestStatus.PROCESSING.name());
                find.setString(4, IngestStatus.LOADED.name());
                Arrival arrival;
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) {
                        arrival = new Arrival(Verdict.READ, insert(c, name, identity, size, IngestStatus.PROCESSING, null));
                    } else {
                        if (rs.getString(5) == null && identity.contentSha256() != null) {
                            // Recorded before content hashes were kept: from now on known by its content too.
                            recordContentHash(c, rs.getLong(1), identity.contentSha256());
                        }
                        arrival = arrivalOfKnownContent(c, rs.getLong(1), rs.getString(2), rs.getString(3), name,
                                identity, size, rs.getInt(4));
                    }
                }
                c.commit();
                return arrival;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Moves an upload's spooled body into the data folder under its name, replacing nothing. */
    @FunctionalInterface
    public interface HandOver {
        void intoDataFolder() throws IOException;
    }

    /**
     * Records an upload's arrival on {@code c}, within the caller's transaction (the caller commits):
     * a content already {@code LOADED}, or {@code PROCESSING} from a file still in the data folder, is
     * recorded as a {@code DUPLICATE} of it ({@link Verdict#DUPLICATE}); otherwise the upload is
     * {@code PROCESSING} under a new id, or under the id of the same content whose file is no longer
     * anywhere (an upload whose instance died before handing it over), and {@code handOver} puts it in the
     * data folder before the transaction commits ({@link Verdict#READ}): from there it is a file like any
     * other. A hand-over that fails fails the arrival, and the caller rolls back.
     */
    public Arrival recordUpload(Connection c, String name, ContentHash.Identity identity, long size,
            HandOver handOver) throws SQLException, IOException {
        try (PreparedStatement find = c.prepareStatement("SELECT id, file_name, status FROM ingest_file"
                + " WHERE (content_sha256 = ? OR sha256 = ?) AND status IN (?, ?) ORDER BY id FOR UPDATE")) {
            find.setString(1, identity.contentSha256());
            find.setString(2, identity.sha256());
            find.setString(3, IngestStatus.PROCESSING.name());
            find.setString(4, IngestStatus.LOADED.name());
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    long id = insert(c, name, identity, size, IngestStatus.PROCESSING, null);
                    handOver.intoDataFolder();
                    return new Arrival(Verdict.READ, id);
                }
                long id = rs.getLong(1);
                String knownName = rs.getString(2);
                if (IngestStatus.LOADED.is(rs.getString(3)) || Files.exists(dataDir.resolve(knownName),
                        java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return new Arrival(Verdict.DUPLICATE, insert(c, name, identity, size, IngestStatus.DUPLICATE, id), id, 0);
                }
                if (!knownName.equals(name)) {
                    try (PreparedStatement rename = c.prepareStatement("UPDATE ingest_file SET file_name = ? WHERE id = ?")) {
                        rename.setString(1, name);
                        rename.setLong(2, id);
                        rename.executeUpdate();
                    }
                }
                handOver.intoDataFolder();
                return new Arrival(Verdict.READ, id);
            }
        }
    }

    private static void recordContentHash(Connection c, long id, String contentSha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ingest_file SET content_sha256 = ? WHERE id = ?")) {
            ps.setString(1, contentSha256);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private Arrival arrivalOfKnownContent(Connection c, long id, String knownName, String status, String name,
            ContentHash.Identity identity, long size, int failedReads) throws SQLException {
        boolean sameName = knownName.equals(name);
        if (IngestStatus.PROCESSING.is(status) && (sameName || !Files.exists(dataDir.resolve(knownName)))) {
            // Its earlier read failed or the pipeline stopped before the file was finished (perhaps
            // renamed since): read it again under the same id.
            if (!sameName) {
                try (PreparedStatement rename = c.prepareStatement("UPDATE ingest_file SET file_name = ? WHERE id = ?")) {
                    rename.setString(1, name);
                    rename.setLong(2, id);
                    rename.executeUpdate();
                }
            }
            return new Arrival(Verdict.READ, id, id, failedReads);
        }
        if (IngestStatus.LOADED.is(status) && sameName
                && (!Files.exists(doneFile(id, name)) || !Files.exists(dataDir.resolve(name)))) {
            // Finished before the pipeline stopped and not moved yet, or finished (and moved) by another
            // instance while this one was hashing it: not a new drop of the same content.
            return new Arrival(Verdict.FINISHED_EARLIER, id);
        }
        return new Arrival(Verdict.DUPLICATE, insert(c, name, identity, size, IngestStatus.DUPLICATE, id), id, 0);
    }

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

    private static long insert(Connection c, String name, ContentHash.Identity identity, long size,
            IngestStatus status, Long duplicateOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_file (file_name, sha256, content_sha256,"
                + " size_bytes, status, duplicate_of, completed_at) VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, identity.sha256());
            ps.setString(3, identity.contentSha256());
            ps.setLong(4, size);
            ps.setString(5, status.name());
            if (duplicateOf == null) {
                ps.setNull(6, java.sql.Types.BIGINT);
            } else {
                ps.setLong(6, duplicateOf);
            }
            ps.setBoolean(7, duplicateOf != null);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong("id");
            }
        }
    }
}
