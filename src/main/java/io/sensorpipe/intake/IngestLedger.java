package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.metrics.FileSealed;

/** Keeps {@code ingest_file}, the record of every file the pipeline has seen, and where each file goes next. */
@ApplicationScoped
@Named("ingestLedger")
public class IngestLedger {

    /** Where the file consumer moves the file once its exchange completes; read by the route's {@code move} option. */
    public static final String DESTINATION = "fileDestination";

    private final DataSource dataSource;
    private final Path doneDir;

    @jakarta.inject.Inject
    public IngestLedger(DataSource dataSource, PipelineConfig config) {
        this(dataSource, Path.of(config.dataDir()).resolve(".done"));
    }

    protected IngestLedger(DataSource dataSource, Path doneDir) {
        this.dataSource = dataSource;
        this.doneDir = doneDir.toAbsolutePath();
    }

    /**
     * Records the file as {@code PROCESSING}. A file that is read again after a failed attempt (same
     * name and content, still {@code PROCESSING}) keeps its id, so its rows keep their identity.
     */
    public void register(Exchange exchange) throws IOException, SQLException {
        File file = exchange.getIn().getBody(File.class);
        String name = file.getName();
        String sha256 = sha256(file.toPath());
        long size = Files.size(file.toPath());
        long fileId = recordProcessing(name, sha256, size);
        FileIntake intake = new FileIntake(fileId, name, file.toPath(), sha256, size);
        exchange.setProperty(FileIntake.PROPERTY, intake);
        exchange.setProperty(DESTINATION, doneDir.resolve(fileId + "-" + name).toString());
        // A read that fails half-way must not leave its quarantine files open.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                intake.closeRejects();
            }
        });
    }

    /** Writes the row counts of a file that has been read to its end. */
    public FileSealed seal(@ExchangeProperty(FileIntake.PROPERTY) FileIntake intake) throws SQLException {
        intake.closeRejects();
        recordCounts(intake.fileId(), intake.rowsRead(), intake.rowsRejected());
        return new FileSealed(intake.fileId(), intake.fileName(), intake.rowsRead(), intake.rowsRejected(),
                intake.rowsPublished(), intake.startNanos());
    }

    /** Marks a file that could not be ingested at all. */
    public void quarantined(FileIntake intake, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE ingest_file SET status = 'QUARANTINED', rows_total = 0,"
                        + " rows_loaded = 0, rows_quarantined = 0, error = ?, completed_at = now() WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setLong(2, intake.fileId());
            ps.executeUpdate();
        }
    }

    /** The id of the file's {@code PROCESSING} row: a new one, or the one an earlier failed read left. */
    protected long recordProcessing(String name, String sha256, long size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long fileId = findProcessing(c, name, sha256);
            return fileId >= 0 ? fileId : insert(c, name, sha256, size);
        }
    }

    protected void recordCounts(long fileId, long rowsTotal, long rowsQuarantined) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE ingest_file SET rows_total = ?, rows_quarantined = ? WHERE id = ?")) {
            ps.setLong(1, rowsTotal);
            ps.setLong(2, rowsQuarantined);
            ps.setLong(3, fileId);
            ps.executeUpdate();
        }
    }

    private static long findProcessing(Connection c, String name, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ingest_file WHERE sha256 = ? AND file_name = ?"
                + " AND status = 'PROCESSING' ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, sha256);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static long insert(Connection c, String name, String sha256, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest_file (file_name, sha256, size_bytes, status) VALUES (?, ?, ?, 'PROCESSING')",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, sha256);
            ps.setLong(3, size);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong("id");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
