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
    private long rowsRefused;
    private long rowsSeen;
    private int slices;
    private boolean recheck;
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
        rowsRefused += slice.rowsRefused();
        rowsSeen += slice.rowsSeen();
        slices++;
    }

    public void seal(FileSealed sealed) {
        this.sealed = sealed;
    }

    /**
     * Seals again a file the database showed unfinished when its aggregate completed (some of the rows
     * counted had been delivered twice): the aggregate completes at the next slice, to be checked again.
     */
    public void recheck(FileSealed sealed) {
        this.sealed = sealed;
        this.recheck = true;
    }

    /**
     * Every row the file sent through Kafka has come back from the loader, as far as this aggregate can
     * tell: the metrics writer confirms it against the database before it marks the file loaded. Rows
     * seen more than once (redelivered after a crash or a rebalance) can make this true early, never late.
     */
    public boolean isComplete() {
        if (sealed == null) {
            return false;
        }
        return sealed.discarded() || rowsSeen >= sealed.rowsExpected() || (recheck && slices > 0);
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

    public Map<Key, QuantityStats> stats() {
        return stats;
    }
}
