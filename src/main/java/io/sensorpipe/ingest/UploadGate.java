package io.sensorpipe.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.InputNames;
import io.sensorpipe.ops.ServiceWatch;

/**
 * What {@code POST /ingest} checks before it reads a byte of the body, cheapest first: the token
 * ({@code 401}), the name ({@code 400}), the media type ({@code 415}), the declared length ({@code 413}),
 * the database and the broker ({@code 503}), and the uploads already open ({@code 429}). An upload let in
 * holds one of {@code pipeline.ingest.max-in-flight} places until {@link #release}.
 */
@ApplicationScoped
public class UploadGate {

    /** Longest name, in UTF-8 bytes: room for the prefixes the pipeline adds (a done file's id, say). */
    static final int MAX_NAME_BYTES = 200;

    private final boolean enabled;
    private final List<byte[]> tokens = new ArrayList<>();
    private final long maxBytes;
    private final int maxInFlight;
    private final Semaphore inFlight;
    private final ServiceWatch watch;

    public UploadGate(PipelineConfig config, ServiceWatch watch) {
        this.enabled = config.ingest().enabled();
        for (String token : config.ingest().tokens().orElse(List.of())) {
            if (!token.isBlank()) {
                tokens.add(sha256(token.strip()));
            }
        }
        this.maxBytes = config.ingest().maxBytes();
        this.maxInFlight = config.ingest().maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        this.watch = watch;
    }

    /** With the endpoint on, no token would let anyone in: the start fails instead. */
    void check(@Observes StartupEvent start) {
        if (enabled && tokens.isEmpty()) {
            throw new IllegalStateException("POST /ingest is on (pipeline.ingest.enabled=true) but no token is set:"
                    + " set PIPELINE_INGEST_TOKENS");
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Who presents this {@code Authorization} header: the first 16 hex digits of its token's SHA-256 (a
     * name for the client that does not reveal the token), or null for no valid token. Every configured
     * token is compared, in constant time, by digest, so neither the match nor the length leaks.
     */
    public String client(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] presented = sha256(authorization.substring(7).strip());
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(presented, token);
        }
        return match ? HexFormat.of().formatHex(presented, 0, 8) : null;
    }

    /**
     * The refusal of an upload before its body is read, or null when it may come in (it then holds a
     * place until {@link #release}).
     */
    public Upload.Answer admit(String client, String name, String contentType, String contentEncoding,
            String contentLength) {
        if (client == null) {
            return refusal(401, "a valid bearer token is required (Authorization: Bearer <token>)");
        }
        String badName = badName(name);
        if (badName != null) {
            return refusal(400, badName);
        }
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("text/csv")) {
            return refusal(415, "the body must be Content-Type: text/csv, not " + (type.isEmpty() ? "none" : type));
        }
        if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.strip().equalsIgnoreCase("gzip")
                && !contentEncoding.strip().equalsIgnoreCase("identity")) {
            return refusal(415, "Content-Encoding must be gzip or none, not " + contentEncoding.strip());
        }
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.strip());
            } catch (NumberFormatException e) {
                return refusal(400, "Content-Length is not a number");
            }
            if (length > maxBytes) {
                return tooLarge();
            }
        }
        if (!watch.database().isUp() || !watch.broker().isUp()) {
            return refusal(503, "the pipeline cannot take uploads now: database " + watch.database().detail()
                    + ", broker " + watch.broker().detail() + "; retry later");
        }
        if (!inFlight.tryAcquire()) {
            return refusal(429, "more than " + maxInFlight + " uploads are open (pipeline.ingest.max-in-flight);"
                    + " retry later");
        }
        return null;
    }

    /** An upload let in by {@link #admit} has been answered. */
    public void release() {
        inFlight.release();
    }

    Upload.Answer tooLarge() {
        return refusal(413, String.format(Locale.ROOT, "the body is larger than %,d bytes (pipeline.ingest.max-bytes)",
                maxBytes));
    }

    static Upload.Answer refusal(int status, String why) {
        return new Upload.Answer(status, Map.of("error", why));
    }

    /** Why a name cannot be a file in the data folder, or null. */
    static String badName(String name) {
        if (name == null || name.isEmpty()) {
            return "the file name is missing: POST /ingest?name=NAME.csv";
        }
        if (!InputNames.isInput(name)) {
            return "the file name must end in .csv or .csv.gz";
        }
        if (name.startsWith(".") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return "the file name must be a plain name: no path, no leading dot, no control characters";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes";
        }
        return null;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
