-- Sensors and where they stand, kept once instead of on every reading. A placement is a sensor at a
-- location and a position; a sensor that moves gets a new placement (a new site_id), and the readings
-- taken before keep the old one. Sites are never deleted.
CREATE TABLE sensor_site (
    site_id       bigserial        PRIMARY KEY,
    sensor_id     bigint           NOT NULL,
    location_id   bigint,
    lat           double precision,
    lon           double precision,
    registered_at timestamptz      NOT NULL DEFAULT now()
);
-- One row per placement (NULLs compare equal here); led by sensor_id, it also finds a sensor's sites.
CREATE UNIQUE INDEX sensor_site_placement
    ON sensor_site (sensor_id, coalesce(location_id, -1), coalesce(lat, 'NaN'), coalesce(lon, 'NaN'));

-- The readings, each referring to its sensor's placement. As for file_id (V4), site_id is checked by the
-- loader (it takes every site_id from sensor_site) rather than by a foreign key's trigger on every row.
CREATE TABLE reading (
    file_id       bigint           NOT NULL,
    line_number   bigint           NOT NULL,
    site_id       bigint           NOT NULL,
    measured_at   timestamptz      NOT NULL,
    pressure_hpa  double precision,
    temperature_c double precision,
    humidity_pct  double precision,
    pm10_ugm3     double precision,
    pm25_ugm3     double precision,
    PRIMARY KEY (file_id, line_number)
);

INSERT INTO sensor_site (sensor_id, location_id, lat, lon)
SELECT DISTINCT sensor_id, location_id, lat, lon FROM raw_sensor_data;

INSERT INTO reading (file_id, line_number, site_id, measured_at, pressure_hpa, temperature_c, humidity_pct,
                     pm10_ugm3, pm25_ugm3)
SELECT r.file_id, r.line_number, s.site_id, r.measured_at, r.pressure_hpa, r.temperature_c, r.humidity_pct,
       r.pm10_ugm3, r.pm25_ugm3
FROM raw_sensor_data r
JOIN sensor_site s ON s.sensor_id = r.sensor_id
    AND coalesce(s.location_id, -1) = coalesce(r.location_id, -1)
    AND coalesce(s.lat, 'NaN') = coalesce(r.lat, 'NaN')
    AND coalesce(s.lon, 'NaN') = coalesce(r.lon, 'NaN');

DROP TABLE raw_sensor_data;

-- Every reading with its sensor's placement: the table's former shape, for queries written against it.
CREATE VIEW raw_sensor_data AS
SELECT r.file_id, r.line_number, s.sensor_id, s.location_id, s.lat, s.lon, r.measured_at,
       r.pressure_hpa, r.temperature_c, r.humidity_pct, r.pm10_ugm3, r.pm25_ugm3
FROM reading r
JOIN sensor_site s USING (site_id);

-- The common questions, each answered by an index (what each costs the load: docs/performance.md):
--   one file's rows                      the primary key (file_id, line_number)
--   all sensors over a time range        reading_time_site
--   one sensor over a time range         sensor_site_placement for its sites, then reading_time_site with
--                                        both columns in the index condition (no other sensor's rows read)
-- Led by time, the index grows at its end as loads arrive in time order: a B-tree led by site_id cost
-- the load a fifth of its throughput, this one about what keeping the placement apart saves.
CREATE INDEX reading_time_site ON reading (measured_at, site_id);
