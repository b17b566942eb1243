package io.sensorpipe.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;

/** Turns the event a route left in {@link FileEvent#PROPERTY} into a Kafka record keyed by the file's sha256. */
@ApplicationScoped
@Named("fileEvents")
public class FileEvents {

    public String toRecord(Exchange exchange) throws JsonProcessingException {
        FileEvent event = exchange.getProperty(FileEvent.PROPERTY, FileEvent.class);
        exchange.getMessage().setHeader(KafkaConstants.KEY, event.sha256());
        return Json.MAPPER.writeValueAsString(event);
    }
}
