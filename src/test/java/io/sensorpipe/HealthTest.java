package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Liveness and readiness over HTTP. The database and broker transitions are exercised against the
 * packaged application, whose services can be stopped (FaultToleranceIT); here, the routes' part.
 */
@QuarkusTest
class HealthTest {

    @Inject
    CamelContext camel;

    @TestHTTPResource("/q/health/live")
    URI live;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode readinessData(HttpResponse<String> response) throws Exception {
        for (JsonNode check : json.readTree(response.body()).path("checks")) {
            if ("sensorpipe".equals(check.path("name").asText())) {
                return check.path("data");
            }
        }
        throw new AssertionError("no sensorpipe check in " + response.body());
    }

    @Test
    void liveAndReadyWhileTheServicesAnswerAndEveryRouteRuns() throws Exception {
        assertEquals(200, get(live).statusCode());
        HttpResponse<String> readiness = awaitReady();
        assertEquals("UP", json.readTree(readiness.body()).path("status").asText(), readiness.body());
        assertEquals("none", readinessData(readiness).path("reads_without_progress").asText(), readiness.body());
        assertEquals("writable", readinessData(readiness).path("folders").asText(), readiness.body());
        assertEquals(camel.getRoutes().size() + " started", readinessData(readiness).path("routes").asText());
    }

    /** The service watch probes the database and broker shortly after start-up. */
    private HttpResponse<String> awaitReady() {
        HttpResponse<?>[] last = new HttpResponse<?>[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> (last[0] = get(ready)).statusCode() == 200);
        @SuppressWarnings("unchecked")
        HttpResponse<String> response = (HttpResponse<String>) last[0];
        return response;
    }

    @Test
    void notReadyWhileARouteIsStoppedOrSuspendedAndReadyAgainOnceItRuns() throws Exception {
        String route = "file-events";
        awaitReady();
        try {
            camel.getRouteController().stopRoute(route);
            HttpResponse<String> stopped = get(ready);
            assertEquals(503, stopped.statusCode(), stopped.body());
            assertEquals("not started: {file-events=Stopped}", readinessData(stopped).path("routes").asText());
            assertEquals(200, get(live).statusCode(), "a stopped route is not a reason to restart the process");

            camel.getRouteController().startRoute(route);
            assertEquals(200, get(ready).statusCode());

            camel.getRouteController().suspendRoute(route);
            HttpResponse<String> suspended = get(ready);
            assertEquals(503, suspended.statusCode(), suspended.body());
            assertTrue(readinessData(suspended).path("routes").asText().contains("file-events=Suspended"));
        } finally {
            camel.getRouteController().startRoute(route);
        }
        assertEquals(200, get(ready).statusCode());
    }
}
