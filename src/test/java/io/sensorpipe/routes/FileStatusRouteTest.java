package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.load.DeadLetters;
import io.sensorpipe.ops.FileStatus;
import io.sensorpipe.ops.Folders;
import io.sensorpipe.ops.PipelineMetrics;
import io.sensorpipe.ops.ServiceWatch;
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
        return List.of("file-status.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        database = LedgerDatabase.fresh();
        PipelineConfig config = TestConfig.pipeline(Map.of("pipeline.quarantine-dir", work.resolve("quarantine").toString()));
        PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry());
        ServiceWatch watch = new ServiceWatch(database, context, "localhost:9", config, metrics,
                new Folders(work.resolve("quarantine"), work.resolve("data").resolve(".done")));
        registry.bind("fileStatus", new FileStatus(database, watch, config, new DeadLetters(database, metrics, config)));
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

    private Exchange request(String rawQuery) throws Exception {
        return template.send("direct:status", e -> {
            e.getMessage().setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
            e.getMessage().setHeader("X-Injected", "<script>alert(1)</script>");
            e.getMessage().setHeader("limit", rawQuery);
        });
    }

    @Test
    void newestFilesFirstWithinTheLimitAndNothingOfTheRequestInTheAnswer() throws Exception {
        AdviceWith.adviceWith(context, "file-status", route -> route.replaceFromWith("direct:status"));
        context.start();
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
        AdviceWith.adviceWith(context, "file-status", route -> route.replaceFromWith("direct:status"));
        context.start();
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
