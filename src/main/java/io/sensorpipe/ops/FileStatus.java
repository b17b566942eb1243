package io.sensorpipe.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.load.DeadLetters;
import io.sensorpipe.support.BadRequestException;
import io.sensorpipe.support.ReportNames;
import io.sensorpipe.support.Texts;

/**
 * The body of {@code GET /status}: recent files from {@code ingest_file}, newest first, each with its
 * counts and quarantine summary (rejections per field and rule, and the quarantine files that exist).
 */
@ApplicationScoped
@Named("fileStatus")
public class FileStatus {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** What a bad {@code limit} is told: a larger one is taken, and the list capped. */
    static final String LIMIT_RULE = "limit must be a whole number of 1 or more (at most " + MAX_LIMIT
            + " files are listed)";

    private static final String COLUMNS = "SELECT id, file_name, sha256, content_sha256, size_bytes, status, rows_total, rows_loaded,"
            + " rows_quarantined, rows_blank, rule_set_version, source, source_version, first_rejected_line, last_rejected_line, duplicate_of,"
            + " error, failed_reads, received_at, completed_at FROM ingest_file";
    private static final String FILES = COLUMNS + " ORDER BY id DESC LIMIT ?";
    private static final String ONE_FILE = COLUMNS + " WHERE id = ?";
    private static final String REJECTIONS = "SELECT file_id, field, rule, rejections FROM file_rejection"
            + " WHERE file_id = ANY (?) ORDER BY file_id, field, rule";

    private final DataSource dataSource;
    private final ServiceWatch watch;
    private final Path quarantineDir;
    private final DeadLetters deadLetters;

    public FileStatus(DataSource dataSource, ServiceWatch watch, PipelineConfig config, DeadLetters deadLetters) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
        this.watch = watch;
        this.quarantineDir = Path.of(config.quarantineDir()).toAbsolutePath();
    }

    /** Body: the request's query string as sent ({@code limit=…}, other parameters ignored). */
    public String recent(@Header(Exchange.HTTP_RAW_QUERY) String query) throws SQLException, JsonProcessingException {
        int n = parseLimit(limitOf(query));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("database", watch.database().detail());
        status.put("broker", watch.broker().detail());
        status.put("files", files(n));
        status.put("dead_letters", deadLetters.summary(Math.min(n, 20)));
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status);
    }

    /**
     * {@code GET /status/{id}}: one file, as {@code /status} lists it (status, counts, source, quarantine
     * summary); {@link NotFoundException} for an id that is not a file.
     */
    public String one(@Header("id") String id) throws SQLException, JsonProcessingException {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NotFoundException("no file has the id " + Texts.cut(String.valueOf(id), 40));
        }
        List<Map<String, Object>> files = files(ONE_FILE, Long.parseLong(id));
        if (files.isEmpty()) {
            throw new NotFoundException("no file has the id " + id);
        }
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(files.get(0));
    }

    /** A file id that names no file. */
    public static final class NotFoundException extends IllegalArgumentException {
        NotFoundException(String message) {
            super(message);
        }
    }

    /**
     * The value of {@code limit} in the raw query string, split on {@code &} only (a server may also
     * split on {@code ;}, which would turn {@code limit=1;DROP TABLE x} into a valid 1); null if absent.
     */
    static String limitOf(String query) {
        if (query == null) {
            return null;
        }
        String limit = null;
        for (String parameter : query.split("&", -1)) {
            if (parameter.equals("limit") || parameter.startsWith("limit=")) {
                if (limit != null) {
                    throw new BadRequestException("limit must be given once");
                }
                try {
                    limit = java.net.URLDecoder.decode(parameter.substring(Math.min(parameter.length(), 6)),
                            java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new BadRequestException(LIMIT_RULE);
                }
            }
        }
        return limit;
    }

    /** {@code ?limit=N}: absent means {@value #DEFAULT_LIMIT}; a whole number from 1 up, at most {@value #MAX_LIMIT}. */
    static int parseLimit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit.isEmpty() || limit.length() > 9 || !limit.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(limit) < 1) {
            throw new BadRequestException(LIMIT_RULE);
        }
        return Math.min(MAX_LIMIT, Integer.parseInt(limit));
    }

    /** The body of a 400 answer: the reason, as JSON. */
    public String badRequest(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return Json.MAPPER.writeValueAsString(Map.of("error", cause == null ? "bad request" : cause.getMessage()));
    }

    private List<Map<String, Object>> files(int limit) throws SQLException {
        return files(FILES, limit);
    }

    private List<Map<String, Object>> files(String query, long parameter) throws SQLException {
        List<Map<String, Object>> files = new ArrayList<>();
        Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(query)) {
                ps.setLong(1, parameter);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> file = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            file.put(meta.getColumnLabel(i), value instanceof Timestamp t ? t.toInstant().toString()
                                    : value instanceof String text ? text.strip() : value);
                        }
                        file.put("rejections", new ArrayList<Map<String, Object>>());
                        file.put("quarantine_files", quarantineFiles((String) file.get("file_name")));
                        files.add(file);
                        byId.put(rs.getLong("id"), file);
                    }
                }
            }
            if (!byId.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(REJECTIONS)) {
                    ps.setArray(1, c.createArrayOf("bigint", byId.keySet().toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            @SuppressWarnings("unchecked")
                            List<Map<String, Object>> rejections = (List<Map<String, Object>>) byId
                                    .get(rs.getLong(1)).get("rejections");
                            rejections.add(Map.of("field", rs.getString(2), "rule", rs.getString(3), "rows",
                                    rs.getLong(4)));
                        }
                    }
                }
            }
        }
        return files;
    }

    /** The quarantine files of this name, as names in the quarantine folder (no server path is shown). */
    private List<String> quarantineFiles(String name) {
        List<String> present = new ArrayList<>(ReportNames.presentIn(quarantineDir, name));
        Path file = quarantineDir.resolve(name);
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            present.add(file.getFileName().toString());
        }
        return present;
    }
}
