package io.sensorpipe.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import io.sensorpipe.Json;
import io.sensorpipe.intake.InputNames;
import io.sensorpipe.support.Failures;

/**
 * {@code POST /ingest?name=NAME}: receives an upload and hands it to the {@code http-ingest} route. The
 * body is streamed to a spool file as it arrives (Vert.x pauses the request while the disk catches up),
 * never held whole in memory, and written to disk before the route records it; the route's answer is
 * sent once the upload is durable. A Vert.x route rather than a Camel {@code platform-http} consumer,
 * which would hold the body in memory (or spool it to a temporary file it deletes) before the route
 * starts, and could not refuse an upload before reading it. Only when {@code pipeline.ingest.enabled}.
 */
@ApplicationScoped
public class UploadReceiver {

    private static final Logger LOG = Logger.getLogger(UploadReceiver.class);

    /** The route that records an upload; its body is the {@link Upload}. */
    static final String ROUTE = "direct:ingest-upload";

    private final UploadGate gate;
    private final Uploads uploads;
    private final ProducerTemplate camel;

    public UploadReceiver(UploadGate gate, Uploads uploads, ProducerTemplate camel) {
        this.gate = gate;
        this.uploads = uploads;
        this.camel = camel;
    }

    void routes(@Observes Router router) {
        if (gate.enabled()) {
            router.post("/ingest").handler(this::receive);
        }
    }

    private void receive(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String client = gate.client(request.getHeader("Authorization"));
        String name = request.getParam("name");
        String encoding = request.getHeader("Content-Encoding");
        Upload.Answer refused = gate.admit(client, name, request.getHeader("Content-Type"), encoding,
                request.getHeader("Content-Length"));
        if (refused != null) {
            answer(rc, refused, true);
            return;
        }
        String key = request.getHeader("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 255)) {
            gate.release();
            answer(rc, UploadGate.refusal(400, "Idempotency-Key must have 1 to 255 characters"), true);
            return;
        }
        request.pause();
        boolean gzip = InputNames.isGzip(name) || (encoding != null && encoding.strip().equalsIgnoreCase("gzip"));
        Path spool;
        try {
            spool = uploads.newSpool(gzip);
        } catch (IOException e) {
            gate.release();
            answer(rc, UploadGate.refusal(503, "the upload cannot be spooled: " + e.getMessage()), true);
            return;
        }
        rc.vertx().fileSystem().open(spool.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
                .onFailure(e -> {
                    gate.release();
                    answer(rc, UploadGate.refusal(503, "the upload cannot be spooled: " + e.getMessage()), true);
                })
                .onSuccess(file -> stream(rc, request, file, spool, client, name, key));
    }

    /** Writes the body to the spool file as it comes, pausing the request while the file's queue is full. */
    private void stream(RoutingContext rc, HttpServerRequest request, AsyncFile file, Path spool, String client,
            String name, String key) {
        AtomicLong bytes = new AtomicLong();
        // Set once the body is refused, broken off or complete: whichever comes first decides.
        AtomicBoolean over = new AtomicBoolean();
        request.handler(chunk -> {
            if (over.get()) {
                return;
            }
            if (bytes.addAndGet(chunk.length()) > gate.maxBytes() && over.compareAndSet(false, true)) {
                file.close().onComplete(closed -> discard(spool));
                gate.release();
                answer(rc, gate.tooLarge(), true);
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                request.pause();
                file.drainHandler(drained -> request.resume());
            }
        });
        request.exceptionHandler(e -> {
            if (over.compareAndSet(false, true)) {
                file.close().onComplete(closed -> discard(spool));
                gate.release();
                LOG.debugf("upload %s broken off: %s", name, e.getMessage());
            }
        });
        request.endHandler(end -> {
            // From here the upload is the route's: a late error on the connection changes nothing.
            if (!over.compareAndSet(false, true)) {
                return;
            }
            // flush() forces the file's content to disk before the route records it.
            file.flush().compose(flushed -> file.close())
                    .compose(closed -> rc.vertx().executeBlocking(() -> record(new Upload(name, client, key, spool,
                            bytes.get())), false))
                    .onComplete(done -> {
                        gate.release();
                        if (done.succeeded()) {
                            answer(rc, done.result(), false);
                        } else {
                            discard(spool);
                            answer(rc, failed(done.cause()), false);
                        }
                    });
        });
        request.resume();
    }

    /** Runs the http-ingest route on a worker thread; whatever it did not hand over is deleted. */
    private Upload.Answer record(Upload upload) throws Exception {
        try {
            Exchange done = camel.send(ROUTE, exchange -> exchange.getMessage().setBody(upload));
            if (done.getException() != null) {
                throw done.getException();
            }
            return upload.answer();
        } finally {
            discard(upload.spool());
        }
    }

    private static Upload.Answer failed(Throwable cause) {
        if (Failures.isTransient(cause)) {
            return UploadGate.refusal(503, "the pipeline cannot record uploads now (" + cause.getMessage() + "); retry later");
        }
        LOG.errorf(cause, "an upload could not be recorded");
        return UploadGate.refusal(500, "the upload could not be recorded: " + cause.getMessage());
    }

    private static void discard(Path spool) {
        try {
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            LOG.debugf("%s could not be deleted: %s", spool, e.getMessage());
        }
    }

    private static void answer(RoutingContext rc, Upload.Answer answer, boolean beforeBody) {
        if (rc.response().ended()) {
            return;
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(answer.body());
        } catch (JsonProcessingException e) {
            json = "{}";
        }
        var response = rc.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json");
        switch (answer.status()) {
            case 401 -> response.putHeader("WWW-Authenticate", "Bearer");
            case 409, 429 -> response.putHeader("Retry-After", "1");
            case 503 -> response.putHeader("Retry-After", "5");
            default -> { }
        }
        if (beforeBody) {
            // The body was not read: the connection cannot carry another request.
            response.putHeader("Connection", "close");
        }
        response.end(json);
    }
}
