package io.sensorpipe.intake;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.support.Folders;

/**
 * Records a file's arrival in {@code ingest_file}, the record of every file the pipeline has seen: a file
 * is known by its content, and what becomes of a content already known is {@link ArrivalPolicy}'s
 * decision. What a read leaves there is {@link ReadLedger}'s; a file's quarantine, {@link QuarantinedFiles}'s.
 */
@ApplicationScoped
@Named("ingestLedger")
public class IngestLedger {

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
    private final ArrivalPolicy policy;

    @jakarta.inject.Inject
    public IngestLedger(DataSource dataSource, PipelineConfig config, Folders folders) {
        this.dataSource = dataSource;
        this.policy = new ArrivalPolicy(Path.of(config.dataDir()), folders);
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
                if (policy.ofUpload(rs.getString(3), knownName) == ArrivalPolicy.Decision.DUPLICATE) {
                    return new Arrival(Verdict.DUPLICATE, insert(c, name, identity, size, IngestStatus.DUPLICATE, id), id, 0);
                }
                rename(c, id, knownName, name);
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
        return switch (policy.ofDrop(id, status, knownName, name)) {
            case READ_AGAIN -> {
                rename(c, id, knownName, name);
                yield new Arrival(Verdict.READ, id, id, failedReads);
            }
            case FINISHED_EARLIER -> new Arrival(Verdict.FINISHED_EARLIER, id);
            case DUPLICATE -> new Arrival(Verdict.DUPLICATE, insert(c, name, identity, size, IngestStatus.DUPLICATE, id),
                    id, 0);
        };
    }

    /** The known content now goes by the name it came back under. */
    private static void rename(Connection c, long id, String knownName, String name) throws SQLException {
        if (knownName.equals(name)) {
            return;
        }
        try (PreparedStatement rename = c.prepareStatement("UPDATE ingest_file SET file_name = ? WHERE id = ?")) {
            rename.setString(1, name);
            rename.setLong(2, id);
            rename.executeUpdate();
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
