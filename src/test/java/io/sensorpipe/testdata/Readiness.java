package io.sensorpipe.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;

import io.sensorpipe.Json;

/** {@code /q/health/ready} over HTTP, as a probe reads it. */
public final class Readiness {

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI ready;

    public Readiness(URI ready) {
        this.ready = ready;
    }

    /** The answer's body; its status is checked against the HTTP code (200 UP, otherwise DOWN). */
    public JsonNode body() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(ready).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals(response.statusCode() == 200 ? "UP" : "DOWN", body.path("status").asText(), response.body());
        return body;
    }

    /** {@code UP} or {@code DOWN}. */
    public String status() throws Exception {
        return body().path("status").asText();
    }

    /** The data of the pipeline's own check. */
    public JsonNode data() throws Exception {
        JsonNode body = body();
        for (JsonNode check : body.path("checks")) {
            if ("sensorpipe".equals(check.path("name").asText())) {
                return check.path("data");
            }
        }
        throw new AssertionError("no sensorpipe check in " + body);
    }
}
