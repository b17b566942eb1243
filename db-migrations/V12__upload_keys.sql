-- POST /ingest: an Idempotency-Key sent with an upload, per client (a hash of its token), with the
-- body it came with (SHA-256 of the body as sent) and the answer given, so that the same key with the
-- same body gets the same answer and with another body 422. The row is written in the transaction that
-- records the upload, so an answer is remembered exactly when the upload is. Kept for
-- pipeline.ingest.idempotency-key-ttl.
CREATE TABLE upload_key (
    client         text        NOT NULL,
    key            text        NOT NULL,
    body_sha256    char(64)    NOT NULL,
    answer_status  int,
    answer_body    text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client, key)
);
CREATE INDEX upload_key_created_at ON upload_key (created_at);
