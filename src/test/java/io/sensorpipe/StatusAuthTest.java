package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code /status} behind HTTP Basic credentials when configured so; health stays open to probes. */
@QuarkusTest
@TestProfile(StatusAuthTest.StatusNeedsCredentials.class)
class StatusAuthTest {

    public static class StatusNeedsCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.status.policy", "authenticated",
                    "pipeline.status.password", "s3cret-for-the-test");
        }
    }

    @TestHTTPResource("/status")
    URI status;

    @TestHTTPResource("/q/health/live")
    URI live;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI uri, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statusAsksForCredentialsAndTakesOnlyTheConfiguredOnes() throws Exception {
        HttpResponse<String> anonymous = get(status, null, null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("www-authenticate").orElse("").toLowerCase().startsWith("basic"),
                anonymous.headers().map().toString());
        assertEquals(401, get(status, "status", "wrong").statusCode());
        assertEquals(401, get(status, "status", "").statusCode());
        HttpResponse<String> allowed = get(status, "status", "s3cret-for-the-test");
        assertEquals(200, allowed.statusCode());
        assertTrue(Json.MAPPER.readTree(allowed.body()).has("files"));
        assertEquals(200, get(live, null, null).statusCode(), "probes need no credentials");
        // The operator page and its views are behind the same credentials.
        for (String path : new String[] {"/ui/", "/ui/ui.js", "/ui/api/files", "/ui/api/overview"}) {
            URI uri = URI.create(status.toString().replace("/status", path));
            assertEquals(401, get(uri, null, null).statusCode(), path);
            assertEquals(401, get(uri, "status", "wrong").statusCode(), path);
            assertEquals(200, get(uri, "status", "s3cret-for-the-test").statusCode(), path);
        }
    }

    /** Upload and read are separate rights: an upload token opens neither /status nor /status/{id}. */
    @Test
    void anUploadTokenDoesNotOpenStatusAndTheStatusCredentialsDoNotUpload() throws Exception {
        for (URI uri : new URI[] {status, URI.create(status + "/1")}) {
            HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer test-upload-token").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, bearer.statusCode(), uri.toString());
        }
        assertEquals(404, get(URI.create(status + "/999999999"), "status", "s3cret-for-the-test").statusCode(),
                "with the status credentials, an unknown file");
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(URI.create(status.toString()
                .replace("/status", "/ingest?name=x.csv"))).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("status:s3cret-for-the-test".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("a,b\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, upload.statusCode(), upload.body());
    }
}
