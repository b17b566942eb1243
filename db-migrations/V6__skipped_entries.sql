-- An entry of the data folder that is never opened (a symbolic link, a FIFO, a device, a directory, a
-- name with a control character, a hidden file) is recorded as SKIPPED with the reason in error. It
-- has no content hash: nothing of it was read.
ALTER TABLE ingest_file DROP CONSTRAINT ingest_file_status_check;
ALTER TABLE ingest_file ADD CONSTRAINT ingest_file_status_check
    CHECK (status IN ('PROCESSING', 'LOADED', 'QUARANTINED', 'DUPLICATE', 'SKIPPED'));
ALTER TABLE ingest_file DROP CONSTRAINT finished_file_balances;
ALTER TABLE ingest_file ADD CONSTRAINT finished_file_balances CHECK (
    status IN ('PROCESSING', 'DUPLICATE', 'SKIPPED') OR rows_total = rows_loaded + rows_quarantined);
ALTER TABLE ingest_file ALTER COLUMN sha256 DROP NOT NULL;
ALTER TABLE ingest_file ADD CONSTRAINT read_files_have_a_hash CHECK (status = 'SKIPPED' OR sha256 IS NOT NULL);
