-- A file whose content was already loaded (or is being loaded) is recorded as a DUPLICATE of it
-- and read no further: its counts stay empty.
ALTER TABLE ingest_file DROP CONSTRAINT ingest_file_status_check;
ALTER TABLE ingest_file ADD CONSTRAINT ingest_file_status_check
    CHECK (status IN ('PROCESSING', 'LOADED', 'QUARANTINED', 'DUPLICATE'));
ALTER TABLE ingest_file DROP CONSTRAINT finished_file_balances;
ALTER TABLE ingest_file ADD CONSTRAINT finished_file_balances CHECK (
    status IN ('PROCESSING', 'DUPLICATE') OR rows_total = rows_loaded + rows_quarantined);
ALTER TABLE ingest_file ADD COLUMN duplicate_of bigint REFERENCES ingest_file (id);
ALTER TABLE ingest_file ADD CONSTRAINT duplicate_names_original CHECK ((status = 'DUPLICATE') = (duplicate_of IS NOT NULL));

-- Content identity: one file id per content being or having been loaded. Together with the key of
-- raw_sensor_data (file_id, line_number) a row is identified by its file's hash and its line.
CREATE UNIQUE INDEX ingest_file_one_load_per_content ON ingest_file (sha256)
    WHERE status IN ('PROCESSING', 'LOADED');

-- Rows that passed validation but that PostgreSQL refused (e.g. a timestamp beyond its range), with
-- the database's reason. Keyed like raw_sensor_data, so a redelivered row is recorded once.
CREATE TABLE refused_row (
    file_id     bigint NOT NULL REFERENCES ingest_file (id),
    line_number bigint NOT NULL,
    sql_state   text   NOT NULL,
    reason      text   NOT NULL,
    raw         text   NOT NULL,
    refused_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, line_number)
);
