package io.sensorpipe.intake;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;
import io.sensorpipe.load.SensorReading;

/**
 * Turns a chunk of readings into Kafka records keyed by sensor id (so one sensor's rows stay in
 * order on one partition), and counts them once the broker has acknowledged the chunk.
 */
@ApplicationScoped
@Named("readingPublisher")
public class ReadingPublisher {

    public static final String CHUNK_ROWS = "chunkRows";

    public List<Message> toRecords(@Body List<SensorReading> readings, Exchange exchange)
            throws JsonProcessingException {
        List<Message> records = new ArrayList<>(readings.size());
        for (SensorReading reading : readings) {
            Message record = new DefaultMessage(exchange.getContext());
            record.setHeader(KafkaConstants.KEY, Long.toString(reading.sensorId()));
            record.setBody(Json.MAPPER.writeValueAsString(reading));
            records.add(record);
        }
        exchange.setProperty(CHUNK_ROWS, records.size());
        return records;
    }

    public void acknowledged(@ExchangeProperty(FileIntake.PROPERTY) FileIntake intake,
            @ExchangeProperty(CHUNK_ROWS) int rows) {
        intake.published(rows);
    }
}
