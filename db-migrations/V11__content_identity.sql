-- A file is known by its content: the SHA-256 of its content after decompression (content_sha256),
-- so that x.csv and x.csv.gz of the same rows are one content and the second loads nothing.
-- sha256 stays the hash of the bytes as dropped (reports and file events carry it).
ALTER TABLE ingest_file ADD COLUMN content_sha256 char(64);

-- A file that is not compressed is its own content. Files dropped compressed before this version keep
-- no content hash: they are still known by their bytes (sha256), and a later drop of the same bytes
-- records the content hash (see IngestLedger.recordArrival).
UPDATE ingest_file SET content_sha256 = sha256
 WHERE sha256 IS NOT NULL AND lower(file_name) NOT LIKE '%.gz';

-- One file id per content being or having been loaded, as ingest_file_one_load_per_content is per
-- bytes as dropped.
CREATE UNIQUE INDEX ingest_file_one_load_per_decompressed_content ON ingest_file (content_sha256)
    WHERE status IN ('PROCESSING', 'LOADED');
CREATE INDEX ingest_file_content_sha256 ON ingest_file (content_sha256);
