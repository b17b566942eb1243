-- The operator page's questions (io.sensorpipe.ops.OperatorViews), each answered by an index (the plans
-- are asserted on 100,000 files by OperatorViewsPlansTest); one row per file or per file, sensor and
-- quantity, so their cost to the load is a row of index per file:
--   recent files of a status, newest first, a page at a time   ingest_file_status_id
--   recent files of a source, newest first, a page at a time   ingest_file_source_id
--   files finished in the last minutes (throughput)            ingest_file_completed_at
--   one sensor's quantity over time                           aggregated_metrics_sensor_quantity
CREATE INDEX ingest_file_status_id ON ingest_file (status, id);
CREATE INDEX ingest_file_source_id ON ingest_file (source, id);
CREATE INDEX ingest_file_completed_at ON ingest_file (completed_at);
CREATE INDEX aggregated_metrics_sensor_quantity ON aggregated_metrics (sensor_id, quantity, first_measured_at);
