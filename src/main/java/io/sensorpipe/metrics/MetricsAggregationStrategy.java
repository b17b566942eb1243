package io.sensorpipe.metrics;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import io.sensorpipe.records.FilePoisoned;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.sources.Quantity;
import io.sensorpipe.sources.SourceCatalog;

/**
 * Folds what arrives for one file into its {@link FileMetrics}: slices of loaded rows from
 * {@code kafka-to-jdbc-batch} (and word that a file was quarantined there) and the seal csv-intake
 * published behind the file's chunks, which comes last.
 */
@ApplicationScoped
@Named("metricsAggregation")
public class MetricsAggregationStrategy implements AggregationStrategy {

    private final List<String> storedNames;

    public MetricsAggregationStrategy(SourceCatalog sources) {
        this.storedNames = sources.quantities().stream().map(Quantity::storedName).toList();
    }

    @Override
    public Exchange aggregate(Exchange aggregate, Exchange incoming) {
        Object body = incoming.getMessage().getBody();
        FileMetrics metrics;
        if (aggregate == null) {
            aggregate = incoming;
            metrics = new FileMetrics(fileIdOf(body), storedNames);
        } else {
            metrics = aggregate.getMessage().getBody(FileMetrics.class);
        }
        if (body instanceof LoadedSlice slice) {
            metrics.add(slice);
        } else if (body instanceof FileSealed sealed) {
            metrics.seal(sealed);
        } else if (body instanceof FilePoisoned poisoned) {
            metrics.poison(poisoned);
        } else {
            throw new IllegalArgumentException("metrics-aggregator cannot aggregate " + body);
        }
        aggregate.getMessage().setBody(metrics);
        return aggregate;
    }

    /** Correlation key of everything the aggregator receives. */
    public long fileIdOf(Object body) {
        if (body instanceof LoadedSlice slice) {
            return slice.fileId();
        } else if (body instanceof FileSealed sealed) {
            return sealed.fileId();
        } else if (body instanceof FilePoisoned poisoned) {
            return poisoned.fileId();
        }
        throw new IllegalArgumentException("metrics-aggregator cannot correlate " + body);
    }
}
