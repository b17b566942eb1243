package io.sensorpipe.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

import io.sensorpipe.Json;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileEvent;

/** Turns the event a route left in {@link io.sensorpipe.records.ExchangeProperties#FILE_EVENT} into a Kafka record keyed by the file's sha256. */
@ApplicationScoped
@Named("fileEvents")
public class FileEvents {

    public String toRecord(Exchange exchange) throws JsonProcessingException {
        FileEvent event = exchange.getProperty(ExchangeProperties.FILE_EVENT, FileEvent.class);
        exchange.getMessage().setHeader(KafkaConstants.KEY, event.sha256());
        return Json.MAPPER.writeValueAsString(event);
    }
}
