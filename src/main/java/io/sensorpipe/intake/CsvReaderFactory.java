package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.nio.charset.Charset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import io.sensorpipe.PipelineConfig;

/** Opens the file as a {@link LineTrackingReader}, the body {@code camel-csv} then parses. */
@ApplicationScoped
@Named("csvReaderFactory")
public class CsvReaderFactory {

    /** Exchange property holding the reader, for {@link RowChunker} to take each record's text from. */
    public static final String READER = "csvReader";

    private final Charset charset;
    private final int maxRecordChars;
    private final long maxFileBytes;

    @Inject
    public CsvReaderFactory(PipelineConfig config) {
        this(Charset.forName(config.charset()), config.limits().maxRecordChars(), config.limits().maxFileBytes());
    }

    public CsvReaderFactory(Charset charset, int maxRecordChars, long maxFileBytes) {
        this.charset = charset;
        this.maxRecordChars = maxRecordChars;
        this.maxFileBytes = maxFileBytes;
    }

    public void open(Exchange exchange) throws IOException {
        File file = exchange.getIn().getBody(File.class);
        long size = java.nio.file.Files.size(file.toPath());
        if (maxFileBytes > 0 && size > maxFileBytes) {
            throw new UnreadableFileException(String.format(java.util.Locale.ROOT,
                    "the file has %,d bytes, more than pipeline.limits.max-file-bytes (%,d)", size, maxFileBytes));
        }
        LineTrackingReader reader = LineTrackingReader.open(file.toPath(), charset, maxRecordChars);
        exchange.setProperty(READER, reader);
        exchange.getIn().setBody(reader);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // Nothing was written through it; a failing close loses nothing.
                }
            }
        });
    }
}
