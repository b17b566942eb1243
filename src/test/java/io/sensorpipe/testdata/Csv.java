package io.sensorpipe.testdata;

/** Small CSV fixtures in the Sofia shapes. */
public final class Csv {

    public static final String BME280_HEADER = io.sensorpipe.loadgen.SofiaRows.HEADER;
    public static final String PANDAS_BME280_HEADER = ",Unnamed: 0," + BME280_HEADER;
    public static final String PARTICULATE_HEADER = "sensor_id,location,lat,lon,timestamp,P1,P2";

    private Csv() {
    }

    /** A bme280 row with plausible values; {@code i} varies the values and the time. */
    public static String bme280Row(long sensorId, int i) {
        return String.format(java.util.Locale.ROOT, "%d,%d,42.686,23.351,2017-07-01T%02d:%02d:%02d,%.2f,%.2f,%.2f",
                sensorId, 1000 + sensorId, (i / 3600) % 24, (i / 60) % 60, i % 60, 94000 + i % 500 + 0.25,
                20 + (i % 100) / 10.0, 40 + (i % 50) / 2.0);
    }
}
