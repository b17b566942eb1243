-- The configured source a file was read as, and that source's version, as its reports say.
ALTER TABLE ingest_file
    ADD COLUMN source         text,
    ADD COLUMN source_version text;
