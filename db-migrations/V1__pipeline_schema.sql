-- One row per input file the pipeline has seen.
CREATE TABLE ingest_file (
    id               bigserial PRIMARY KEY,
    file_name        text        NOT NULL,
    sha256           char(64)    NOT NULL,
    size_bytes       bigint      NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PROCESSING', 'LOADED', 'QUARANTINED')),
    rows_total       bigint,
    rows_loaded      bigint,
    rows_quarantined bigint,
    received_at      timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    error            text,
    CONSTRAINT finished_file_balances CHECK (
        status = 'PROCESSING' OR rows_total = rows_loaded + rows_quarantined)
);
CREATE INDEX ingest_file_sha256 ON ingest_file (sha256);

-- One row per valid CSV row; (file_id, line_number) is the row's identity.
CREATE TABLE raw_sensor_data (
    file_id      bigint           NOT NULL REFERENCES ingest_file (id),
    line_number  bigint           NOT NULL,
    sensor_id    bigint           NOT NULL,
    location_id  bigint,
    lat          double precision,
    lon          double precision,
    measured_at  timestamptz      NOT NULL,
    pressure_hpa double precision,
    temperature_c double precision,
    humidity_pct double precision,
    pm10_ugm3    double precision,
    pm25_ugm3    double precision,
    PRIMARY KEY (file_id, line_number)
);

-- Per file, sensor and quantity: the statistics of the loaded rows.
CREATE TABLE aggregated_metrics (
    file_id           bigint           NOT NULL REFERENCES ingest_file (id),
    sensor_id         bigint           NOT NULL,
    quantity          text             NOT NULL
        CHECK (quantity IN ('pressure_hpa', 'temperature_c', 'humidity_pct', 'pm10_ugm3', 'pm25_ugm3')),
    sample_count      bigint           NOT NULL,
    min_value         double precision NOT NULL,
    max_value         double precision NOT NULL,
    mean_value        double precision NOT NULL,
    stddev_value      double precision,
    first_measured_at timestamptz      NOT NULL,
    last_measured_at  timestamptz      NOT NULL,
    computed_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, sensor_id, quantity)
);
