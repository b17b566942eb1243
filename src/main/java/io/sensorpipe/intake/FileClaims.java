package io.sensorpipe.intake;

import java.sql.Timestamp;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Which instance reads which input file, shared by every instance through the {@code file_claim} table:
 * camel-sql's orphan-lock-aware JDBC idempotent repository. A claim is held while its instance refreshes
 * it (every third of {@code pipeline.claim-expiry}); one left unrefreshed for the expiry belongs to an
 * instance that died and is taken over by the next instance that polls the file.
 * <p>
 * Two corrections to the library's {@code insert} (Camel 4.14), which checks for a row and then, if one
 * exists, refreshes it unconditionally: of two instances claiming one file at the same moment both could
 * win, and a claim taken over this way was never refreshed afterwards (so it expired under its new
 * holder). Here an expired claim is deleted first, atomically (of two instances only one deletes it), and
 * then inserted as a new claim through the library's own path, which refreshes it from then on; the
 * library's pre-insert check is given a query that finds nothing, so a claim another instance made
 * meanwhile meets the primary key and this claim fails instead.
 */
public class FileClaims extends JdbcOrphanLockAwareIdempotentRepository {

    private static final String TABLE = "file_claim";

    private final long expiryMillis;

    public FileClaims(DataSource dataSource, CamelContext camelContext, Duration expiry) {
        super(dataSource, "csv-intake", camelContext);
        this.expiryMillis = expiry.toMillis();
        setLockMaxAgeMillis(expiryMillis);
        setLockKeepAliveIntervalMillis(Math.max(1, expiryMillis / 3));
        // The table comes with the schema (Flyway); its statements are spelt out here rather than derived
        // with setTableName, which would also replace the query string below with the library's own.
        setCreateTableIfNotExists(false);
        setTableExistsString("SELECT 1 FROM " + TABLE + " WHERE 1 = 0");
        setQueryString("SELECT COUNT(*) FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND FALSE");
        setInsertString("INSERT INTO " + TABLE + " (processorName, messageId, createdAt) VALUES (?, ?, ?)");
        setDeleteString("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId = ?");
        setClearString("DELETE FROM " + TABLE + " WHERE processorName = ?");
        setUpdateTimestampQuery("UPDATE " + TABLE + " SET createdAt = ? WHERE processorName = ? AND messageId = ?");
    }

    /**
     * Claims the file for this instance: false when another instance holds a live claim on it, also when
     * both claim it at the same moment and the other one's claim landed first.
     */
    @Override
    public boolean add(String key) {
        try {
            return super.add(key);
        } catch (DataIntegrityViolationException claimedMeanwhile) {
            return false;
        }
    }

    /** Live claims on this key: ones refreshed within the expiry. */
    @Override
    protected int queryForInt(String key) {
        return jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + TABLE
                + " WHERE processorName = ? AND messageId = ? AND createdAt >= ?", Integer.class, processorName, key,
                expiredBefore());
    }

    @Override
    protected int insert(String key) {
        jdbcTemplate.update("DELETE FROM " + TABLE + " WHERE processorName = ? AND messageId = ? AND createdAt < ?",
                processorName, key, expiredBefore());
        return super.insert(key);
    }

    private Timestamp expiredBefore() {
        return new Timestamp(System.currentTimeMillis() - expiryMillis);
    }
}
