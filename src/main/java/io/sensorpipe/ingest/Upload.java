package io.sensorpipe.ingest;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sensorpipe.intake.ContentHash;

/**
 * One upload on its way through the {@code http-ingest} route: what the client sent (the name, whether
 * the body is gzip, its Idempotency-Key), where its body is spooled, what it was found to be, and the
 * answer it gets. Carried as the route's body; changed by one thread at a time.
 */
@RegisterForReflection
public final class Upload {

    private final String name;
    private final String client;
    private final String idempotencyKey;
    private Path spool;
    private long bytes;
    private String bodySha256;
    private ContentHash.Identity identity;
    private String unrecognised;
    private Answer answer;

    /** What the client is told: an HTTP status and a JSON object. */
    @RegisterForReflection
    public record Answer(int status, Map<String, Object> body) {
    }

    /**
     * @param name           the file name the sources see ({@code ?name=})
     * @param client         who sent it: a hash of its token, never the token
     * @param idempotencyKey the {@code Idempotency-Key} header, or null
     * @param spool          the body as received, in the data folder's spool
     * @param bytes          its size as received
     */
    public Upload(String name, String client, String idempotencyKey, Path spool, long bytes) {
        this.name = name;
        this.client = client;
        this.idempotencyKey = idempotencyKey;
        this.spool = spool;
        this.bytes = bytes;
    }

    public String name() {
        return name;
    }

    public String client() {
        return client;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Path spool() {
        return spool;
    }

    void spool(Path unpacked, long size) {
        this.spool = unpacked;
        this.bytes = size;
    }

    public long bytes() {
        return bytes;
    }

    /** SHA-256 of the body as sent: what an Idempotency-Key is compared by. */
    public String bodySha256() {
        return bodySha256;
    }

    void bodySha256(String sha256) {
        this.bodySha256 = sha256;
    }

    public ContentHash.Identity identity() {
        return identity;
    }

    void identity(ContentHash.Identity identity) {
        this.identity = identity;
    }

    /** Why no source takes the content, or null: such an upload is answered 400 (and quarantined like a file). */
    public String unrecognised() {
        return unrecognised;
    }

    void unrecognised(String reason) {
        this.unrecognised = reason;
    }

    public Answer answer() {
        return answer;
    }

    void answerWith(Answer answer) {
        this.answer = answer;
    }

    /** Whether the upload has its answer (the route stops there). */
    public boolean answered() {
        return answer != null;
    }

    /** The answer's status, for the route. */
    public int status() {
        return answer == null ? 500 : answer.status();
    }
}
