package io.sensorpipe.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.PipelineConfig;

/**
 * {@code upload_key}: the Idempotency-Keys of uploads, per client, with the body they came with and the
 * answer given. Every call runs in the caller's transaction, the one that records the upload.
 */
@ApplicationScoped
public class UploadKeys {

    /** What an earlier upload with the same key left: its body's hash and its answer. */
    public record Earlier(String bodySha256, int status, String body) {
    }

    private final Duration ttl;

    public UploadKeys(PipelineConfig config) {
        this.ttl = config.ingest().idempotencyKeyTtl();
    }

    /**
     * Takes the key for this upload, or returns what an earlier upload with it left. A second upload with
     * the same key waits here until the first one's transaction ends. Keys older than the TTL are forgotten first.
     */
    public Earlier claim(Connection c, String client, String key, String bodySha256) throws SQLException {
        // Every key past its time goes (an index on created_at keeps this cheap): the table stays bounded.
        try (PreparedStatement expire = c.prepareStatement(
                "DELETE FROM upload_key WHERE created_at < now() - make_interval(secs => ?)");
                PreparedStatement claim = c.prepareStatement("INSERT INTO upload_key (client, key, body_sha256)"
                        + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
                PreparedStatement earlier = c.prepareStatement("SELECT body_sha256, answer_status, answer_body"
                        + " FROM upload_key WHERE client = ? AND key = ?")) {
            expire.setDouble(1, ttl.toMillis() / 1000.0);
            expire.executeUpdate();
            claim.setString(1, client);
            claim.setString(2, key);
            claim.setString(3, bodySha256);
            if (claim.executeUpdate() == 1) {
                return null;
            }
            earlier.setString(1, client);
            earlier.setString(2, key);
            try (ResultSet rs = earlier.executeQuery()) {
                rs.next();
                return new Earlier(rs.getString(1), rs.getInt(2), rs.getString(3));
            }
        }
    }

    /** The answer given to the upload that claimed the key. */
    public void answered(Connection c, String client, String key, int status, String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE upload_key SET answer_status = ?, answer_body = ?"
                + " WHERE client = ? AND key = ?")) {
            ps.setInt(1, status);
            ps.setString(2, body);
            ps.setString(3, client);
            ps.setString(4, key);
            ps.executeUpdate();
        }
    }
}
