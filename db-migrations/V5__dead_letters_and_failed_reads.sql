-- Records of the readings topic that will never be loaded (not a readings chunk, malformed, not UTF-8,
-- of an unknown file, or failing alone for a reason retrying did not cure). The record itself is on
-- the dead-letter topic; this table says which it was and why, and is written in the transaction
-- that commits the rest of its batch, so each record is counted once however often it is delivered.
CREATE TABLE dead_letter (
    source_topic     text        NOT NULL,
    source_partition integer     NOT NULL,
    source_offset    bigint      NOT NULL,
    file_id          bigint      REFERENCES ingest_file (id),
    reason           text        NOT NULL,
    exception_class  text        NOT NULL,
    message          text        NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_topic, source_partition, source_offset)
);

-- Reads of a file that failed for a reason that is neither its content nor an outage (a bug, say).
-- At pipeline.failures.max-file-reads the file is quarantined with the last error.
ALTER TABLE ingest_file ADD COLUMN failed_reads integer NOT NULL DEFAULT 0;
