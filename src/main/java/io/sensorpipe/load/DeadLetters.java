package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.QuarantinedFiles;
import io.sensorpipe.support.PipelineMetrics;

/**
 * Records of the readings topic that will never be loaded: recorded in {@code dead_letter} (in the
 * loader's transaction), their files quarantined, and each turned into a record of the dead-letter
 * topic that carries the original key, value and headers plus headers saying where it came from and
 * what went wrong (as Kafka Connect's dead-letter queues do, under {@code sensorpipe.errors.*}).
 */
@ApplicationScoped
@Named("deadLetters")
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /** Prefix of the headers the dead-letter record gets. */
    public static final String HEADER = "sensorpipe.errors.";

    static final String RECORD = "INSERT INTO dead_letter (source_topic, source_partition, source_offset, file_id,"
            + " reason, exception_class, message, dead_lettered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (source_topic, source_partition, source_offset) DO NOTHING";

    private static final Set<IngestStatus> WHILE_PROCESSING = EnumSet.of(IngestStatus.PROCESSING);

    private static final String RECENT = "SELECT source_topic, source_partition, source_offset, file_id, reason,"
            + " exception_class, message, dead_lettered_at FROM dead_letter ORDER BY dead_lettered_at DESC,"
            + " source_offset DESC LIMIT ?";

    private final DataSource dataSource;
    private final QuarantinedFiles quarantinedFiles;
    private final PipelineMetrics metrics;
    private final String topic;

    public DeadLetters(DataSource dataSource, QuarantinedFiles quarantinedFiles, PipelineMetrics metrics,
            PipelineConfig config) {
        this.dataSource = dataSource;
        this.quarantinedFiles = quarantinedFiles;
        this.metrics = metrics;
        this.topic = config.topic().deadLetters();
    }

    /** The reason a file is quarantined for when one of its records is a dead letter. */
    public static String fileReason(DeadLetter letter) {
        return "record " + letter.where() + " of this file was dead-lettered (" + letter.reason().tag() + ": "
                + letter.message() + "): its rows cannot all be loaded";
    }

    /**
     * Quarantines, in the caller's transaction, each file still {@code PROCESSING} that one of these
     * dead letters belongs to, removing its rows already loaded; the loader's {@code status} map is
     * updated so that the batch loads none of its rows. Returns the files quarantined now.
     */
    Set<Long> quarantineFiles(Connection c, List<DeadLetter> letters, Map<Long, String> status) throws SQLException {
        Set<Long> quarantined = new HashSet<>();
        for (DeadLetter letter : letters) {
            Long fileId = letter.fileId();
            if (fileId == null || !IngestStatus.PROCESSING.is(status.get(fileId))) {
                continue;
            }
            // Its rows are removed; its reports and its move follow when its seal arrives (metrics-aggregator).
            if (quarantinedFiles.quarantine(c, fileId, null, fileReason(letter), null, WHILE_PROCESSING)
                    != QuarantinedFiles.NOT_QUARANTINED) {
                quarantined.add(fileId);
            }
            status.put(fileId, IngestStatus.QUARANTINED.name());
        }
        return quarantined;
    }

    /** Records the dead letters in {@code dead_letter}, in the caller's transaction; one row per record ever. */
    void record(Connection c, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD)) {
            for (DeadLetter letter : letters) {
                ps.setString(1, letter.topic());
                ps.setInt(2, letter.partition());
                ps.setLong(3, letter.offset());
                if (letter.fileId() == null) {
                    ps.setNull(4, Types.BIGINT);
                } else {
                    ps.setLong(4, letter.fileId());
                }
                ps.setString(5, letter.reason().tag());
                ps.setString(6, letter.exception().getClass().getName());
                ps.setString(7, letter.message());
                ps.setTimestamp(8, Timestamp.from(letter.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Turns the exchange into the dead-letter record: the original value, key and headers, plus
     * {@code sensorpipe.errors.topic}, {@code .partition}, {@code .offset}, {@code .reason},
     * {@code .exception.class}, {@code .exception.message}, {@code .time} and, when known,
     * {@code .file.id}, all as text.
     */
    public void toRecord(Exchange exchange) {
        DeadLetter letter = exchange.getMessage().getBody(DeadLetter.class);
        exchange.setProperty("deadLetter", letter);
        Message original = letter.record().getMessage();
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        original.getHeaders().forEach((name, value) -> {
            if (!isTransportHeader(name)) {
                out.setHeader(name, value);
            }
        });
        Object key = original.getHeader(KafkaConstants.KEY);
        if (key != null) {
            out.setHeader(KafkaConstants.KEY, key);
        }
        out.setHeader(HEADER + "topic", letter.topic());
        out.setHeader(HEADER + "partition", Integer.toString(letter.partition()));
        out.setHeader(HEADER + "offset", Long.toString(letter.offset()));
        out.setHeader(HEADER + "reason", letter.reason().tag());
        out.setHeader(HEADER + "exception.class", letter.exception().getClass().getName());
        out.setHeader(HEADER + "exception.message", letter.message());
        out.setHeader(HEADER + "time", letter.at().toString());
        if (letter.fileId() != null) {
            out.setHeader(HEADER + "file.id", Long.toString(letter.fileId()));
        }
        Object value = original.getBody();
        out.setBody(value instanceof byte[] ? value : original.getBody(byte[].class));
    }

    /** Camel's and camel-kafka's own headers on a consumed record, as opposed to the record's headers. */
    private static boolean isTransportHeader(String name) {
        return name.startsWith("kafka.") || name.startsWith("Camel") || name.startsWith("camel")
                || name.startsWith("org.apache.camel");
    }

    /** Once the dead-letter record is acknowledged: counted and logged, once per delivery of the record. */
    public void published(Exchange exchange) {
        DeadLetter letter = exchange.getProperty("deadLetter", DeadLetter.class);
        metrics.deadLettered(letter.reason().tag());
        LOG.warnf("Record %s dead-lettered to %s: %s: %s%s", letter.where(), topic, letter.reason().tag(),
                letter.message(), letter.fileId() == null ? "" : " (file " + letter.fileId() + " quarantined)");
    }

    /** The dead letters recorded so far and the most recent ones, for {@code GET /status}. */
    public Map<String, Object> summary(int limit) throws SQLException {
        Map<String, Object> summary = new LinkedHashMap<>();
        List<Map<String, Object>> recent = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT reason, count(*) FROM dead_letter GROUP BY reason ORDER BY reason")) {
                Map<String, Long> perReason = new LinkedHashMap<>();
                long total = 0;
                while (rs.next()) {
                    perReason.put(rs.getString(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
                summary.put("topic", topic);
                summary.put("total", total);
                summary.put("per_reason", perReason);
            }
            try (PreparedStatement ps = c.prepareStatement(RECENT)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> letter = new LinkedHashMap<>();
                        letter.put("source", rs.getString(1) + "-" + rs.getInt(2) + "@" + rs.getLong(3));
                        letter.put("file_id", rs.getObject(4));
                        letter.put("reason", rs.getString(5));
                        letter.put("exception_class", rs.getString(6));
                        letter.put("message", rs.getString(7));
                        letter.put("dead_lettered_at", rs.getTimestamp(8).toInstant().toString());
                        recent.add(letter);
                    }
                }
            }
        }
        summary.put("recent", recent);
        return summary;
    }
}
