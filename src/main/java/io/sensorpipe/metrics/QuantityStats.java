package io.sensorpipe.metrics;

import java.time.Instant;

/**
 * Running count, min, max, mean and variance of one quantity of one sensor, by Welford's algorithm:
 * one pass, constant memory, and no cancellation when the values are large and close together.
 */
public final class QuantityStats {

    private long count;
    private double mean;
    private double sumSquaredDeviations;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private Instant first;
    private Instant last;

    public void add(double value, Instant measuredAt) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        sumSquaredDeviations += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (first == null || measuredAt.isBefore(first)) {
            first = measuredAt;
        }
        if (last == null || measuredAt.isAfter(last)) {
            last = measuredAt;
        }
    }

    public long count() {
        return count;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public double mean() {
        return mean;
    }

    /** Sample standard deviation (n - 1), or null for a single value, as PostgreSQL's {@code stddev_samp}. */
    public Double stddev() {
        return count < 2 ? null : Math.sqrt(sumSquaredDeviations / (count - 1));
    }

    public Instant first() {
        return first;
    }

    public Instant last() {
        return last;
    }
}
