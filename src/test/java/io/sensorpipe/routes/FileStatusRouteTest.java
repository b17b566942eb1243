package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.load.DeadLetters;
import io.sensorpipe.ops.FileStatus;
import io.sensorpipe.ops.ServiceWatch;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.testdata.TestConfig;

/**
 * The {@code file-status} route with its HTTP endpoint replaced by a direct one and a real database
 * behind it: newest files first within the limit, a bad limit answered with 400 and its reason, and
 * nothing of the request (headers, query) carried into the answer.
 */
class FileStatusRouteTest extends RouteTestSupport {

    private DataSource database;

    @Override
    protected List<String> routeFiles() {
        return List.of("file-status.camel.yaml", "file-status-one.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        database = LedgerDatabase.fresh();
        PipelineConfig config = TestConfig.pipeline(Map.of("pipeline.quarantine-dir", work.resolve("quarantine").toString()));
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        ServiceWatch watch = new ServiceWatch(database, context, "localhost:9", config, metrics,
                new Folders(work.resolve("quarantine"), work.resolve("data").resolve(".done")));
        registry.bind("fileStatus", new FileStatus(database, watch, config, new DeadLetters(database, new io.sensorpipe.intake.QuarantinedFiles(database), metrics, config)));
    }

    private void loaded(String name, String sha256) throws Exception {
        try (var c = database.getConnection(); var ps = c.prepareStatement("INSERT INTO ingest_file (file_name, sha256,"
                + " size_bytes, status, rows_total, rows_loaded, rows_quarantined, completed_at)"
                + " VALUES (?, ?, 10, 'LOADED', 3, 3, 0, now())")) {
            ps.setString(1, name);
            ps.setString(2, sha256);
            ps.executeUpdate();
        }
    }

    private void advise() throws Exception {
        AdviceWith.adviceWith(context, "file-status", route -> route.replaceFromWith("direct:status"));
        AdviceWith.adviceWith(context, "file-status-one", route -> route.replaceFromWith("direct:status-one"));
        context.start();
    }

    /** GET /status/{id}: the file as /status lists it; 404 with its reason for an id that names no file. */
    @Test
    void oneFileByItsIdAnd404ForAnIdThatNamesNone() throws Exception {
        advise();
        loaded("only.csv", "03".repeat(32));
        long id;
        try (var c = database.getConnection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT id FROM ingest_file WHERE file_name = 'only.csv'")) {
            rs.next();
            id = rs.getLong(1);
        }

        Exchange found = template.send("direct:status-one", e -> {
            e.getMessage().setHeader("id", Long.toString(id));
            e.getMessage().setHeader("X-Injected", "<script>alert(1)</script>");
        });
        JsonNode file = Json.MAPPER.readTree(found.getMessage().getBody(String.class));
        assertEquals(id, file.get("id").asLong());
        assertEquals("only.csv", file.get("file_name").asText());
        assertEquals("LOADED", file.get("status").asText());
        assertEquals(new TreeSet<>(List.of("Content-Type")), new TreeSet<>(found.getMessage().getHeaders().keySet()));

        for (String bad : List.of(Long.toString(id + 1000), "abc", "1;DROP TABLE ingest_file", "99999999999999999999")) {
            Exchange missing = template.send("direct:status-one", e -> e.getMessage().setHeader("id", bad));
            assertEquals(404, missing.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), bad);
            String error = Json.MAPPER.readTree(missing.getMessage().getBody(String.class)).get("error").asText();
            assertEquals("no file has the id " + bad, error, bad);
        }
    }

    private Exchange request(String rawQuery) throws Exception {
        return template.send("direct:status", e -> {
            e.getMessage().setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
            e.getMessage().setHeader("X-Injected", "<script>alert(1)</script>");
            e.getMessage().setHeader("limit", rawQuery);
        });
    }

    @Test
    void newestFilesFirstWithinTheLimitAndNothingOfTheRequestInTheAnswer() throws Exception {
        advise();
        loaded("first.csv", "01".repeat(32));
        loaded("second.csv", "02".repeat(32));

        Exchange answer = request("limit=1&other=x");

        JsonNode body = Json.MAPPER.readTree(answer.getMessage().getBody(String.class));
        assertEquals(1, body.get("files").size());
        assertEquals("second.csv", body.get("files").get(0).get("file_name").asText());
        assertEquals("LOADED", body.get("files").get(0).get("status").asText());
        assertEquals(new TreeSet<>(List.of("Content-Type")), new TreeSet<>(answer.getMessage().getHeaders().keySet()));
        assertEquals(2, Json.MAPPER.readTree(request(null).getMessage().getBody(String.class)).get("files").size(),
                "no limit: the default, more than two");
    }

    @Test
    void aBadLimitIsAnsweredWith400AndItsReason() throws Exception {
        advise();
        for (String query : List.of("limit=abc", "limit=0", "limit=1;DROP TABLE ingest_file", "limit=1&limit=2")) {
            Exchange answer = request(query);
            assertEquals(400, answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), query);
            assertEquals(new TreeSet<>(List.of("Content-Type", Exchange.HTTP_RESPONSE_CODE)),
                    new TreeSet<>(answer.getMessage().getHeaders().keySet()), query);
            String error = Json.MAPPER.readTree(answer.getMessage().getBody(String.class)).get("error").asText();
            assertEquals(query.endsWith("limit=2") ? "limit must be given once"
                    : "limit must be a whole number of 1 or more (at most 500 files are listed)", error, query);
        }
    }
}
