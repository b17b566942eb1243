package io.sensorpipe.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Route;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.load.DeadLetters;
import io.sensorpipe.sources.Quantity;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.support.BadRequestException;
import io.sensorpipe.support.ReportNames;

/**
 * What the operator page ({@code /ui/}) shows, as JSON, one view per request ({@code /ui/api/{view}}):
 * {@code files} (the recent files, newest first, filtered by status and source, a page at a time),
 * {@code file} (one file's rejections per field and rule, its first rejected rows with their reasons,
 * its reports and the sensors it measured), {@code overview} (the health of the database, the broker and
 * each route, files and rows finished per minute, the dead letters), {@code series} (one sensor's
 * quantity over time: min, mean and max per file, from {@code aggregated_metrics}) and {@code readings}
 * (the stored readings of that sensor's quantity in one file). Every query is keyed or paged and answered
 * by an index (the plans are asserted by {@code OperatorViewsPlansTest} on 100,000 files and by
 * {@code QueryPlansTest} on ten million readings), and {@code report} hands out a quarantine report of a
 * file, by its name only.
 */
@ApplicationScoped
@Named("operatorViews")
public class OperatorViews {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;
    static final int REJECTED_ROWS = 20;
    static final int SERIES_POINTS = 500;
    /** A report line longer than this is cut: the page shows the start of a row, not a megabyte of it. */
    static final int MAX_LINE_CHARS = 8192;
    /** At most this much of a report is handed to the page. */
    static final long MAX_REPORT_BYTES = 1 << 20;

    /** The content type of an answer, for the route to set. */
    public static final String CONTENT_TYPE = "sensorpipeContentType";

    static final String FILE_COLUMNS = "SELECT id, file_name, status, source, rows_total, rows_loaded, rows_quarantined,"
            + " error, received_at, completed_at FROM ingest_file";
    static final String ONE_FILE = FILE_COLUMNS + " WHERE id = ?";
    static final String REJECTIONS = "SELECT field, rule, rejections FROM file_rejection WHERE file_id = ?"
            + " ORDER BY rejections DESC, field, rule";
    static final String SENSORS = "SELECT sensor_id, quantity, sample_count FROM aggregated_metrics WHERE file_id = ?"
            + " ORDER BY sensor_id, quantity LIMIT 200";
    static final String SERIES = "SELECT file_id, first_measured_at, last_measured_at, sample_count, min_value,"
            + " mean_value, max_value FROM aggregated_metrics WHERE sensor_id = ? AND quantity = ?"
            + " ORDER BY first_measured_at DESC LIMIT " + SERIES_POINTS;
    static final int READINGS = 5000;
    /** Where a sensor's readings of a file lie in time: its row of the file's metrics. */
    static final String MEASURED = "SELECT first_measured_at, last_measured_at FROM aggregated_metrics"
            + " WHERE file_id = ? AND sensor_id = ? AND quantity = ?";
    static final String READINGS_FROM = " FROM reading r JOIN sensor_site s USING (site_id)";
    static final String READINGS_WHERE = " WHERE s.sensor_id = ? AND r.measured_at >= ? AND r.measured_at <= ?"
            + " AND r.file_id = ?";
    static final String THROUGHPUT = "SELECT date_trunc('minute', completed_at) AS minute, count(*) AS files,"
            + " coalesce(sum(rows_loaded), 0) AS rows FROM ingest_file"
            + " WHERE completed_at > now() - INTERVAL '15 minutes' GROUP BY 1 ORDER BY 1";

    private final DataSource dataSource;
    private final ServiceWatch watch;
    private final DeadLetters deadLetters;
    private final CamelContext camel;
    private final Path quarantineDir;
    private final List<String> sources;
    private final Map<String, Quantity> byStoredName = new HashMap<>();

    public OperatorViews(DataSource dataSource, ServiceWatch watch, DeadLetters deadLetters, CamelContext camel,
            PipelineConfig config, SourceCatalog catalog) {
        this.dataSource = dataSource;
        this.watch = watch;
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.quarantineDir = Path.of(config.quarantineDir()).toAbsolutePath();
        this.sources = catalog.sources().stream().map(Source::name).toList();
        catalog.quantities().forEach(q -> byStoredName.put(q.storedName(), q));
    }

    /** Body: the view a request names, with its query string's parameters. */
    public String answer(@Header("view") String view, @Header(Exchange.HTTP_RAW_QUERY) String query, Exchange exchange)
            throws SQLException, IOException {
        Map<String, String> parameters = parameters(query);
        exchange.setProperty(CONTENT_TYPE, "application/json");
        return switch (String.valueOf(view)) {
            case "files" -> json(files(parameters.get("status"), parameters.get("source"),
                    optionalWhole(parameters, "before"), page(parameters.get("limit"))));
            case "file" -> json(file(whole(parameters, "id")));
            case "overview" -> json(overview());
            case "series" -> json(series(whole(parameters, "sensor"), quantity(parameters.get("quantity"))));
            case "readings" -> json(readings(whole(parameters, "id"), whole(parameters, "sensor"),
                    quantity(parameters.get("quantity"))));
            case "report" -> {
                exchange.setProperty(CONTENT_TYPE, "text/plain; charset=UTF-8");
                yield report(whole(parameters, "id"), parameters.get("name"));
            }
            default -> throw new BadRequestException("no view '" + cut(view) + "' (views: files, file, overview,"
                    + " series, readings, report)");
        };
    }

    /** A page of files, newest first, those before {@code before} (an id) when given. */
    Map<String, Object> files(String status, String source, Long before, int limit) throws SQLException {
        if (status != null && Arrays.stream(IngestStatus.values()).noneMatch(s -> s.name().equals(status))) {
            throw new BadRequestException("status is one of " + Arrays.toString(IngestStatus.values()));
        }
        if (source != null && source.length() > 200) {
            throw new BadRequestException("source is a source's name");
        }
        List<Object> values = new ArrayList<>();
        String sql = filesQuery(status, source, before, values);
        values.add(limit + 1);
        List<Map<String, Object>> files = rows(sql, values.toArray());
        Map<String, Object> page = new LinkedHashMap<>();
        boolean more = files.size() > limit;
        List<Map<String, Object>> shown = more ? files.subList(0, limit) : files;
        page.put("files", shown);
        page.put("next_before", more ? shown.get(shown.size() - 1).get("id") : null);
        page.put("statuses", Arrays.stream(IngestStatus.values()).map(Enum::name).toList());
        page.put("sources", sources);
        return page;
    }

    /**
     * The query of a page of files: keyset paging on the id, so a page costs the same however deep. A
     * status or source filter is written {@code = ANY (ARRAY[?])} and leads the sort: an equality would let
     * the planner walk the primary key backwards and filter, which reads the whole table when the status
     * (or source) was last seen long ago; this way only the filter's own index, {@code (status, id)} or
     * {@code (source, id)}, gives the order.
     */
    static String filesQuery(String status, String source, Long before, List<Object> values) {
        List<String> conditions = new ArrayList<>();
        String order = "id DESC";
        if (status != null) {
            conditions.add("status = ANY (ARRAY[?]::text[])");
            values.add(status);
            order = "status DESC, id DESC";
        }
        if (source != null) {
            conditions.add(status == null ? "source = ANY (ARRAY[?]::text[])" : "source = ?");
            values.add(source);
            order = status == null ? "source DESC, id DESC" : order;
        }
        if (before != null) {
            conditions.add("id < ?");
            values.add(before);
        }
        return FILE_COLUMNS + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + order + " LIMIT ?";
    }

    /** One file: its row, rejections per field and rule, first rejected rows, reports, and the sensors it measured. */
    Map<String, Object> file(long id) throws SQLException, IOException {
        List<Map<String, Object>> rows = rows(ONE_FILE, id);
        if (rows.isEmpty()) {
            throw new BadRequestException("no file has the id " + id);
        }
        Map<String, Object> file = new LinkedHashMap<>(rows.get(0));
        file.put("rejections", rows(REJECTIONS, id));
        String name = (String) file.get("file_name");
        List<String> reports = ReportNames.presentIn(quarantineDir, name);
        file.put("reports", reports);
        file.put("rejected_rows", reports.contains(ReportNames.of(name, ReportNames.ERRORS))
                ? firstLines(quarantineDir.resolve(ReportNames.of(name, ReportNames.ERRORS)), REJECTED_ROWS)
                : List.of());
        file.put("sensors", rows(SENSORS, id));
        return file;
    }

    Map<String, Object> overview() throws SQLException {
        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("database", Map.of("up", Boolean.TRUE.equals(watch.database().up()),
                "detail", String.valueOf(watch.database().detail())));
        overview.put("broker", Map.of("up", Boolean.TRUE.equals(watch.broker().up()),
                "detail", String.valueOf(watch.broker().detail())));
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            routes.add(Map.of("id", route.getRouteId(), "status",
                    String.valueOf(camel.getRouteController().getRouteStatus(route.getRouteId()))));
        }
        routes.sort((a, b) -> ((String) a.get("id")).compareTo((String) b.get("id")));
        overview.put("routes", routes);
        overview.put("throughput", rows(THROUGHPUT));
        overview.put("dead_letters", deadLetters.summary(20));
        return overview;
    }

    /** Min, mean and max of one sensor's quantity per file it was measured in, oldest first. */
    Map<String, Object> series(long sensor, String quantity) throws SQLException {
        List<Map<String, Object>> points = new ArrayList<>(rows(SERIES, sensor, quantity));
        Collections.reverse(points);
        return Map.of("sensor_id", sensor, "quantity", quantity, "points", points);
    }

    /**
     * The stored readings of one sensor's quantity in one file, oldest first, at most {@value #READINGS}:
     * found through the time index with the sensor's sites in its condition, between the first and last
     * time the file's metrics give, as any query of one sensor over a time range.
     */
    Map<String, Object> readings(long fileId, long sensor, String quantity) throws SQLException {
        Quantity q = byStoredName.get(quantity);
        if (q == null) {
            throw new BadRequestException("no quantity is stored as '" + quantity + "'");
        }
        List<Map<String, Object>> measured = rows(MEASURED, fileId, sensor, quantity);
        List<Map<String, Object>> points = List.of();
        if (!measured.isEmpty()) {
            List<Object> values = new ArrayList<>(List.of(sensor, instant(measured.get(0).get("first_measured_at")),
                    instant(measured.get(0).get("last_measured_at")), fileId));
            if (q.readingColumn() == null) {
                values.add(quantity);
            }
            points = rows(readingsQuery(q), values.toArray());
        }
        return Map.of("file_id", fileId, "sensor_id", sensor, "quantity", quantity, "points", points);
    }

    /**
     * The query of {@link #readings}: from the quantity's column of {@code reading} (a name the catalogue
     * checked, and the loader against the table), or from {@code reading_value}.
     */
    public static String readingsQuery(Quantity q) {
        if (q.readingColumn() != null) {
            return "SELECT r.measured_at, r." + q.readingColumn() + " AS value" + READINGS_FROM + READINGS_WHERE
                    + " AND r." + q.readingColumn() + " IS NOT NULL ORDER BY r.measured_at LIMIT "
                    + READINGS;
        }
        return "SELECT r.measured_at, v.value" + READINGS_FROM + " JOIN reading_value v USING (file_id, line_number)"
                + READINGS_WHERE + " AND v.quantity = ? ORDER BY r.measured_at LIMIT " + READINGS;
    }

    /** The text of one of a file's quarantine reports, named as {@code file} lists them; at most 1 MiB. */
    String report(long id, String name) throws SQLException, IOException {
        List<Map<String, Object>> rows = rows(ONE_FILE, id);
        if (rows.isEmpty() || name == null || !ReportNames.presentIn(quarantineDir, (String) rows.get(0).get("file_name")).contains(name)) {
            throw new BadRequestException("no such report of file " + id);
        }
        try (InputStream in = Files.newInputStream(quarantineDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_REPORT_BYTES);
            return new String(bytes, StandardCharsets.UTF_8) + (in.read() >= 0 ? "\n… (cut at 1 MiB)\n" : "");
        }
    }

    /** The first JSON lines of a report, each parsed (a line cut short or not JSON is given as text). */
    private static List<Object> firstLines(Path report, int count) throws IOException {
        List<Object> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Files.newInputStream(report, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while (lines.size() < count && (c = in.read()) >= 0) {
                if (c != '\n') {
                    if (line.length() < MAX_LINE_CHARS) {
                        line.append((char) c);
                    }
                    continue;
                }
                try {
                    lines.add(Json.MAPPER.readTree(line.toString()));
                } catch (JsonProcessingException e) {
                    lines.add(line.toString());
                }
                line.setLength(0);
            }
        }
        return lines;
    }

    private List<Map<String, Object>> rows(String sql, Object... values) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(meta.getColumnLabel(i), value instanceof Timestamp t ? t.toInstant().toString() : value);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static final Set<String> PARAMETERS = Set.of("status", "source", "before", "limit", "id", "sensor",
            "quantity", "name");

    /** The query string's parameters, split on {@code &} only; each known one at most once. */
    static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        if (query.length() > 2000) {
            throw new BadRequestException("the query string is too long");
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!PARAMETERS.contains(key)) {
                continue;
            }
            String value;
            try {
                value = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(key + " is not URL-encoded");
            }
            if (parameters.put(key, value.isEmpty() ? null : value) != null) {
                throw new BadRequestException(key + " must be given once");
            }
        }
        return parameters;
    }

    private static int page(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit.length() > 4 || !limit.chars().allMatch(Character::isDigit) || Integer.parseInt(limit) < 1) {
            throw new BadRequestException("limit is a whole number from 1 (at most " + MAX_PAGE + " files a page)");
        }
        return Math.min(MAX_PAGE, Integer.parseInt(limit));
    }

    private static long whole(Map<String, String> parameters, String key) {
        Long value = optionalWhole(parameters, key);
        if (value == null) {
            throw new BadRequestException(key + " is missing");
        }
        return value;
    }

    private static Long optionalWhole(Map<String, String> parameters, String key) {
        String text = parameters.get(key);
        if (text == null) {
            return null;
        }
        if (text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new BadRequestException(key + " is a whole number");
        }
        return Long.parseLong(text);
    }

    private static String quantity(String quantity) {
        if (quantity == null || !quantity.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new BadRequestException("quantity is a quantity's stored name");
        }
        return quantity;
    }

    private static OffsetDateTime instant(Object text) {
        return Instant.parse(String.valueOf(text)).atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text) {
        String s = String.valueOf(text);
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static String json(Object value) throws JsonProcessingException {
        return Json.MAPPER.writeValueAsString(value);
    }
}
