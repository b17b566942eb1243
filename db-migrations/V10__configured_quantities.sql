-- Every stored quantity and its unit: the five with columns in reading (named as those columns), and
-- those configured in a sources file, registered by the loader the first time it stores one.
CREATE TABLE quantity (
    name          text        PRIMARY KEY,
    unit          text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO quantity (name, unit) VALUES
    ('pressure_hpa', 'hPa'), ('temperature_c', 'C'), ('humidity_pct', '%'), ('pm10_ugm3', 'ug/m3'), ('pm25_ugm3', 'ug/m3');

-- The readings of the configured quantities: one row per reading and quantity, in the quantity's unit.
-- Like reading's, its keys are checked by the loader (it inserts a value only with its reading, and
-- registers the quantity first), not by foreign keys.
CREATE TABLE reading_value (
    file_id     bigint           NOT NULL,
    line_number bigint           NOT NULL,
    quantity    text             NOT NULL,
    value       double precision NOT NULL,
    PRIMARY KEY (file_id, line_number, quantity)
);

-- Metrics are kept for every stored quantity, not only the five.
ALTER TABLE aggregated_metrics DROP CONSTRAINT aggregated_metrics_quantity_check;
