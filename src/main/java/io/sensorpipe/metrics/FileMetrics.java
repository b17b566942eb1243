package io.sensorpipe.metrics;

import java.util.Map;
import java.util.TreeMap;

import io.sensorpipe.load.LoadedSlice;
import io.sensorpipe.load.SensorReading;

/**
 * The aggregate of one file: statistics per sensor and quantity over the rows loaded so far, and,
 * once {@code csv-intake} has sealed the file, how many rows there will be in all.
 */
public final class FileMetrics {

    /** Sensor id and quantity, ordered for a stable write order. */
    public record Key(long sensorId, Quantity quantity) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int bySensor = Long.compare(sensorId, o.sensorId);
            return bySensor != 0 ? bySensor : quantity.compareTo(o.quantity);
        }
    }

    private final long fileId;
    private final Map<Key, QuantityStats> stats = new TreeMap<>();
    private long rowsLoaded;
    private FileSealed sealed;

    public FileMetrics(long fileId) {
        this.fileId = fileId;
    }

    public void add(LoadedSlice slice) {
        for (SensorReading reading : slice.readings()) {
            for (Quantity quantity : Quantity.values()) {
                Double value = quantity.of(reading);
                if (value != null) {
                    stats.computeIfAbsent(new Key(reading.sensorId(), quantity), k -> new QuantityStats())
                            .add(value, reading.measuredAt());
                }
            }
        }
        rowsLoaded += slice.readings().size();
    }

    public void seal(FileSealed sealed) {
        this.sealed = sealed;
    }

    /** All rows the file sent through Kafka are in the database. */
    public boolean isComplete() {
        return sealed != null && (sealed.discarded() || rowsLoaded >= sealed.rowsExpected());
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

    public Map<Key, QuantityStats> stats() {
        return stats;
    }
}
