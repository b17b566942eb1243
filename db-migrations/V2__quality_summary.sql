-- What the quality summary of a file says, kept with the file.
ALTER TABLE ingest_file
    ADD COLUMN rule_set_version    text,
    ADD COLUMN rows_blank          bigint,
    ADD COLUMN first_rejected_line bigint,
    ADD COLUMN last_rejected_line  bigint;

-- Rejections of a file per field and rule (a row breaking two rules counts under both).
CREATE TABLE file_rejection (
    file_id    bigint NOT NULL REFERENCES ingest_file (id),
    field      text   NOT NULL,
    rule       text   NOT NULL,
    rejections bigint NOT NULL,
    PRIMARY KEY (file_id, field, rule)
);
