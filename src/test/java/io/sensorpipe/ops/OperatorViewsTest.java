package io.sensorpipe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import io.sensorpipe.Json;

/**
 * The operator page's JSON views on the running application: a page of files and the next one by its
 * key, filters, the overview, and requests that are refused with a reason (no report outside a file's own,
 * no unknown view, status or limit).
 */
@QuarkusTest
class OperatorViewsTest {

    @TestHTTPResource("/ui/api/")
    URI api;

    @TestHTTPResource("/ui/")
    URI page;

    @Inject
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String viewAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(api.resolve(viewAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String viewAndQuery) throws Exception {
        HttpResponse<String> response = get(viewAndQuery);
        assertEquals(200, response.statusCode(), viewAndQuery + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        return Json.MAPPER.readTree(response.body());
    }

    private long quarantinedFile(String source) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest_file (file_name, sha256, size_bytes, status, source, rows_total, rows_loaded,"
                        + " rows_quarantined, error) VALUES (?, ?, 1, 'QUARANTINED', ?, 0, 0, 0, 'for the page')"
                        + " RETURNING id")) {
            ps.setString(1, "page-" + UUID.randomUUID() + ".csv");
            ps.setString(2, UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""));
            ps.setString(3, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void filesComeNewestFirstAPageAtATimeAndFilteredByStatusAndSource() throws Exception {
        String source = "page-source-" + UUID.randomUUID();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(quarantinedFile(source));
        }
        JsonNode first = json("files?status=QUARANTINED&source=" + source + "&limit=2");
        assertEquals(List.of(ids.get(2), ids.get(1)), ids(first));
        assertEquals(ids.get(1), first.get("next_before").asLong());
        JsonNode second = json("files?status=QUARANTINED&source=" + source + "&limit=2&before=" + ids.get(1));
        assertEquals(List.of(ids.get(0)), ids(second));
        assertTrue(second.get("next_before").isNull(), "the last page");
        assertEquals(List.of(), ids(json("files?status=LOADED&source=" + source)));
        assertTrue(json("files").get("sources").toString().contains("sofia-bme280"), "the configured sources to filter by");

        JsonNode file = json("file?id=" + ids.get(0));
        assertEquals("QUARANTINED", file.get("status").asText());
        assertEquals("for the page", file.get("error").asText());
        assertEquals(0, file.get("rejected_rows").size());
    }

    @Test
    void theOverviewHasTheServicesTheRoutesTheThroughputAndTheDeadLetters() throws Exception {
        JsonNode overview = json("overview");
        assertTrue(overview.get("database").get("up").asBoolean(), overview.toString());
        List<String> routes = new ArrayList<>();
        overview.get("routes").forEach(r -> routes.add(r.get("id").asText()));
        assertTrue(routes.containsAll(List.of("csv-intake", "kafka-to-jdbc-batch", "operator-page")), routes.toString());
        assertTrue(overview.get("throughput").isArray());
        assertTrue(overview.get("dead_letters").has("per_reason"));
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("/webjars/echarts/"), "charts from the application's own WebJar");
        HttpResponse<String> echarts = http.send(HttpRequest.newBuilder(page.resolve(
                "/webjars/echarts/5.3.1/dist/echarts.min.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echarts.statusCode(), "served by the application, nothing from a CDN");
    }

    @Test
    void whatCannotBeAnsweredIsRefusedWithItsReason() throws Exception {
        long id = quarantinedFile("sofia-bme280");
        for (String[] refused : new String[][] {
                {"files?status=GONE", "status is one of"},
                {"files?limit=0", "limit is a whole number"},
                {"files?before=x", "before is a whole number"},
                {"files?limit=1&limit=2", "limit must be given once"},
                {"file?id=999999999999", "no file has the id"},
                {"series?sensor=1&quantity=DROP%20TABLE", "quantity is a quantity's stored name"},
                {"report?id=" + id + "&name=..%2F..%2Fetc%2Fpasswd", "no such report of file"},
                {"report?id=" + id + "&name=" + "application.properties", "no such report of file"},
                {"nothing", "no view 'nothing'"}}) {
            HttpResponse<String> response = get(refused[0]);
            assertEquals(400, response.statusCode(), refused[0]);
            assertTrue(Json.MAPPER.readTree(response.body()).get("error").asText().contains(refused[1]),
                    refused[0] + ": " + response.body());
            assertFalse(response.body().contains("Exception"), response.body());
        }
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("files").forEach(f -> ids.add(f.get("id").asLong()));
        return ids;
    }
}
