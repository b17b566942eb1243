package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.metrics.FileSealed;
import io.sensorpipe.quarantine.QualitySummary;
import io.sensorpipe.validation.RuleSet;

/** Keeps {@code ingest_file}, the record of every file the pipeline has seen, and where each file goes next. */
@ApplicationScoped
@Named("ingestLedger")
public class IngestLedger {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(IngestLedger.class);

    /** Where the file consumer moves the file once its exchange completes; read by the route's {@code move} option. */
    public static final String DESTINATION = "fileDestination";

    private final DataSource dataSource;
    private final Path doneDir;
    private final String ruleSetVersion;
    private final double maxRejectedPercent;

    @jakarta.inject.Inject
    public IngestLedger(DataSource dataSource, PipelineConfig config, RuleSet rules) {
        this(dataSource, Path.of(config.dataDir()).resolve(".done"), rules.version(), config.maxRejectedPercent());
    }

    protected IngestLedger(DataSource dataSource, Path doneDir, String ruleSetVersion, double maxRejectedPercent) {
        this.dataSource = dataSource;
        this.doneDir = doneDir.toAbsolutePath();
        this.ruleSetVersion = ruleSetVersion;
        this.maxRejectedPercent = maxRejectedPercent;
    }

    /**
     * Records the file as {@code PROCESSING}. A file that is read again after a failed attempt (same
     * name and content, still {@code PROCESSING}) keeps its id, so its rows keep their identity.
     */
    public void register(Exchange exchange) throws IOException, SQLException {
        File file = exchange.getIn().getBody(File.class);
        String name = file.getName();
        BasicFileAttributes attributes = Files.readAttributes(file.toPath(), BasicFileAttributes.class);
        String sha256 = sha256(file.toPath());
        long size = attributes.size();
        long fileId = recordProcessing(name, sha256, size);
        FileIntake intake = new FileIntake(fileId, name, file.toPath(), sha256, size, attributes);
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

    /**
     * Records the quality figures of a file read to its end and decides whether it can be loaded:
     * a file without data rows, or with more rejected rows than allowed, is quarantined whole.
     */
    public FileSealed seal(@ExchangeProperty(FileIntake.PROPERTY) FileIntake intake) throws SQLException, IOException {
        intake.closeRejects();
        setAsideIfReplaced(intake);
        if (intake.modifiedWhileRead()) {
            throw new UnreadableFileException("the file changed while it was read: what was read is not what was"
                    + " hashed; drop it again once it is complete");
        }
        QualitySummary quality = intake.quality(ruleSetVersion);
        recordQuality(intake.fileId(), quality);
        if (quality.rowsTotal() == 0) {
            throw new UnreadableFileException("no data rows: the file has a header only"
                    + (quality.blankLines() > 0 ? " and " + quality.blankLines() + " blank lines" : ""));
        }
        if (quality.rowsRejected() * 100.0 > maxRejectedPercent * quality.rowsTotal()) {
            throw new UnreadableFileException(String.format(java.util.Locale.ROOT,
                    "%d of %d rows rejected (%.1f %%), above the limit of %s %%", quality.rowsRejected(),
                    quality.rowsTotal(), quality.rowsRejected() * 100.0 / quality.rowsTotal(),
                    new java.math.BigDecimal(Double.toString(maxRejectedPercent)).stripTrailingZeros().toPlainString()));
        }
        return new FileSealed(intake.fileId(), intake.fileName(), intake.rowsRead(), intake.rowsRejected(),
                intake.rowsPublished(), intake.startNanos(), quality, false);
    }

    /**
     * When another file was moved over this one while it was read, renames the newcomer to
     * {@code <name>.replaced-<id>.csv}, so that the file consumer's move at the end does not carry it
     * off unread: the next poll reads it as a file of its own.
     */
    public void setAsideIfReplaced(FileIntake intake) throws IOException {
        if (intake.replacedWhileRead()) {
            String name = intake.fileName();
            String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4)
                    : name;
            Path aside = intake.path().resolveSibling(stem + ".replaced-" + intake.fileId() + ".csv");
            Files.move(intake.path(), aside);
            LOG.warnf("%s was replaced while it was read: the original is processed, the newcomer is set aside"
                    + " as %s for the next poll", name, aside.getFileName());
        }
    }

    /**
     * Marks a file that cannot be ingested as a whole, and removes any of its rows the loader has
     * already committed, in one transaction. The row lock makes the loader, which inserts only rows of
     * files not quarantined and share-locks the file's row to check, wait for this decision or see it.
     *
     * @return rows removed from {@code raw_sensor_data}
     */
    public long quarantined(FileIntake intake, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM ingest_file WHERE id = ? FOR UPDATE");
                    PreparedStatement mark = c.prepareStatement("UPDATE ingest_file SET status = 'QUARANTINED',"
                            + " rows_total = ?, rows_loaded = 0, rows_quarantined = ?, error = ?, completed_at = now()"
                            + " WHERE id = ?");
                    PreparedStatement remove = c.prepareStatement("DELETE FROM raw_sensor_data WHERE file_id = ?")) {
                lock.setLong(1, intake.fileId());
                lock.executeQuery().close();
                mark.setLong(1, intake.rowsRead());
                mark.setLong(2, intake.rowsRead());
                mark.setString(3, reason);
                mark.setLong(4, intake.fileId());
                mark.executeUpdate();
                remove.setLong(1, intake.fileId());
                long removed = remove.executeUpdate();
                c.commit();
                return removed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The id of the file's {@code PROCESSING} row: a new one, or the one an earlier failed read left. */
    protected long recordProcessing(String name, String sha256, long size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long fileId = findProcessing(c, name, sha256);
            return fileId >= 0 ? fileId : insert(c, name, sha256, size);
        }
    }

    protected void recordQuality(long fileId, QualitySummary quality) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement counts = c.prepareStatement("UPDATE ingest_file SET rows_total = ?,"
                    + " rows_quarantined = ?, rows_blank = ?, rule_set_version = ?, first_rejected_line = ?,"
                    + " last_rejected_line = ? WHERE id = ?");
                    PreparedStatement clear = c.prepareStatement("DELETE FROM file_rejection WHERE file_id = ?");
                    PreparedStatement rejection = c.prepareStatement(
                            "INSERT INTO file_rejection (file_id, field, rule, rejections) VALUES (?, ?, ?, ?)")) {
                counts.setLong(1, quality.rowsTotal());
                counts.setLong(2, quality.rowsRejected());
                counts.setLong(3, quality.blankLines());
                counts.setString(4, quality.ruleSetVersion());
                setLine(counts, 5, quality.firstRejectedLine());
                setLine(counts, 6, quality.lastRejectedLine());
                counts.setLong(7, fileId);
                counts.executeUpdate();
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

    private static void setLine(PreparedStatement ps, int index, long line) throws SQLException {
        if (line > 0) {
            ps.setLong(index, line);
        } else {
            ps.setNull(index, java.sql.Types.BIGINT);
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
