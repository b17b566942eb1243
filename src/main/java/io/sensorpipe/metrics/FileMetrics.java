package io.sensorpipe.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sensorpipe.records.FilePoisoned;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.records.SensorReading;

/**
 * The aggregate of one file: statistics per sensor and quantity over the rows loaded so far, and,
 * once {@code csv-intake} has sealed the file, how many rows there will be in all.
 */
public final class FileMetrics {

    /** Sensor id and quantity (its stored name: its {@code reading} column's, or its own), ordered for a stable write order. */
    public record Key(long sensorId, String quantity) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int bySensor = Long.compare(sensorId, o.sensorId);
            return bySensor != 0 ? bySensor : quantity.compareTo(o.quantity);
        }
    }

    private final long fileId;
    /** The stored name of each quantity, by its position among a reading's values. */
    private final List<String> storedNames;
    /** Per sensor, the statistics of each quantity by position: looked up once per row. */
    private final Map<Long, QuantityStats[]> bySensor = new HashMap<>();
    private long rowsLoaded;
    private long rowsRefused;
    private long rowsSeen;
    private FileSealed sealed;
    /** Why the file will not complete: a record of it was dead-lettered and the loader quarantined it. */
    private String poisoned;

    /** The aggregate of a file whose readings' values are those of quantities stored under these names, in order. */
    public FileMetrics(long fileId, List<String> storedNames) {
        this.fileId = fileId;
        this.storedNames = storedNames;
    }

    public void add(LoadedSlice slice) {
        for (SensorReading reading : slice.readings()) {
            QuantityStats[] sensor = bySensor.computeIfAbsent(reading.sensorId(),
                    id -> new QuantityStats[storedNames.size()]);
            double[] values = reading.values();
            for (int q = 0; q < sensor.length; q++) {
                if (!Double.isNaN(values[q])) {
                    QuantityStats stats = sensor[q];
                    if (stats == null) {
                        stats = sensor[q] = new QuantityStats();
                    }
                    stats.add(values[q], reading.measuredAt());
                }
            }
        }
        rowsLoaded += slice.readings().size();
        rowsRefused += slice.rowsRefused();
        rowsSeen += slice.rowsSeen();
    }

    public void seal(FileSealed sealed) {
        this.sealed = sealed;
    }

    public void poison(FilePoisoned poisoned) {
        this.poisoned = poisoned.reason();
    }

    /** Why the loader quarantined this file, or null. */
    public String poisoned() {
        return poisoned;
    }

    /**
     * The seal has come. It follows the file's chunks in their partition, so every row the read sent
     * is in the database by now, whichever instance loaded it; this aggregate holds the rows this
     * instance loaded since it last took the partition, and the metrics writer checks that against
     * the database.
     */
    public boolean isComplete() {
        return sealed != null;
    }

    /** Rows of the file this aggregate has seen go by, inserted or not (a redelivery counts again). */
    public long rowsSeen() {
        return rowsSeen;
    }

    /** Rows PostgreSQL refused for the first time while this aggregate was open. */
    public long rowsRefused() {
        return rowsRefused;
    }

    public long getFileId() {
        return fileId;
    }

    public long rowsLoaded() {
        return rowsLoaded;
    }

    public FileSealed sealed() {
        return sealed;
    }

    /** The statistics so far, by sensor and quantity in that order. */
    public Map<Key, QuantityStats> stats() {
        Map<Key, QuantityStats> stats = new TreeMap<>();
        bySensor.forEach((sensorId, sensor) -> {
            for (int q = 0; q < sensor.length; q++) {
                if (sensor[q] != null) {
                    stats.put(new Key(sensorId, storedNames.get(q)), sensor[q]);
                }
            }
        });
        return stats;
    }
}
