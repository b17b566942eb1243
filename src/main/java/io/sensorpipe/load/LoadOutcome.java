package io.sensorpipe.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.quarkus.runtime.annotations.RegisterForReflection;

import io.sensorpipe.records.FilePoisoned;
import io.sensorpipe.records.LoadedSlice;

/**
 * What the loader did with one batch of records.
 *
 * @param slices      per file still in progress, what the batch did with its rows
 * @param deadLetters records that will never be loaded, for the dead-letter topic
 * @param quarantined files quarantined because one of their records is among the dead letters
 * @param seals       the seals of files met in the batch, in record order
 */
@RegisterForReflection
public record LoadOutcome(List<LoadedSlice> slices, List<DeadLetter> deadLetters, Set<Long> quarantined,
        List<io.sensorpipe.records.FileSealed> seals) {

    /**
     * What the metrics aggregator must hear of before the batch's seals (a seal follows its file's
     * chunks, so its slices of this batch go first): the slices and the files that will not complete.
     */
    public List<Object> forAggregates() {
        List<Object> messages = new ArrayList<>(slices.size() + quarantined.size());
        messages.addAll(slices);
        Set<Long> told = new HashSet<>();
        for (DeadLetter letter : deadLetters) {
            if (letter.fileId() != null && quarantined.contains(letter.fileId()) && told.add(letter.fileId())) {
                messages.add(new FilePoisoned(letter.fileId(), DeadLetters.fileReason(letter)));
            }
        }
        return messages;
    }
}
