package io.sensorpipe.intake;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import io.sensorpipe.records.SensorReading;

/**
 * Collects the readings of one chunk that passed validation. Rejected rows come back from the
 * dead-letter channel with their original CSV record as body and are left out. The result is a fresh
 * exchange, so no error-handling property of a rejected row leaks into the file's exchange; a row whose
 * quarantine itself failed passes its exception on, failing the chunk.
 */
@ApplicationScoped
@Named("validRowCollector")
public class ValidRowCollector implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange collected, Exchange row) {
        if (collected == null) {
            collected = new DefaultExchange(row.getContext());
            collected.getMessage().setBody(new ArrayList<SensorReading>());
        }
        if (row.getException() != null && collected.getException() == null) {
            // Its quarantine write failed: the chunk fails with it rather than lose the row.
            collected.setException(row.getException());
        }
        if (row.getMessage().getBody() instanceof SensorReading reading) {
            collected.getMessage().getBody(List.class).add(reading);
        }
        return collected;
    }
}
