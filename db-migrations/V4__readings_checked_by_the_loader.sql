-- A reading's file is checked by the loader, not by a foreign key: in the transaction that loads a
-- batch it takes a share lock on the batch's ingest_file rows and loads only rows of files that exist
-- and are not quarantined. The foreign key checked the same again with a trigger query per row, which
-- made up a large share of the COPY's cost (see the README's performance section). ingest_file rows
-- are never deleted.
ALTER TABLE raw_sensor_data DROP CONSTRAINT raw_sensor_data_file_id_fkey;
