package io.sensorpipe.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.records.SensorReading;

/** What a batch did with each file's rows, per file: the slices the metrics aggregator folds in. */
final class LoadedSlices {

    private static final Logger LOG = Logger.getLogger(LoadedSlices.class);

    private LoadedSlices() {
    }

    /** Per file: the readings inserted now, and how many were refused and seen. */
    static List<LoadedSlice> of(List<SensorReading> readings, boolean[] inserted, boolean[] refused) {
        Map<Long, List<SensorReading>> insertedPerFile = new LinkedHashMap<>();
        Map<Long, int[]> refusedAndSeen = new LinkedHashMap<>();
        for (int i = 0; i < readings.size(); i++) {
            SensorReading r = readings.get(i);
            List<SensorReading> rows = insertedPerFile.computeIfAbsent(r.fileId(), id -> new ArrayList<>());
            int[] counts = refusedAndSeen.computeIfAbsent(r.fileId(), id -> new int[2]);
            if (inserted[i]) {
                rows.add(r);
            }
            if (refused[i]) {
                counts[0]++;
            }
            counts[1]++;
        }
        List<LoadedSlice> slices = new ArrayList<>(insertedPerFile.size());
        insertedPerFile.forEach((fileId, rows) -> slices.add(
                new LoadedSlice(fileId, rows, refusedAndSeen.get(fileId)[0], refusedAndSeen.get(fileId)[1])));
        return slices;
    }

    /**
     * Keeps the slices of files still {@code PROCESSING}: rows of a file already finished (delivered
     * again after a lost offset commit, or of a file quarantined whole) have nothing left to complete,
     * and would only open an aggregate that never completes.
     */
    static List<LoadedSlice> forFilesInProgress(List<LoadedSlice> slices, Set<Long> processing) {
        List<LoadedSlice> kept = new ArrayList<>(slices.size());
        for (LoadedSlice slice : slices) {
            if (processing.contains(slice.fileId())) {
                kept.add(slice);
            } else {
                LOG.debugf("%d rows of finished file %d delivered again: skipped", slice.rowsSeen(), slice.fileId());
            }
        }
        return kept;
    }
}
