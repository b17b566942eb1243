package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceHelper;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Dialect;

/**
 * Opens the file as a {@link LineTrackingReader} in its source's charset, then has {@code camel-csv}
 * parse it in its source's dialect: one {@link CsvDataFormat} per dialect, records streamed
 * ({@code lazyLoad}), blank lines kept (they are counted), each record converted by
 * {@link CsvLineConverter}.
 */
@ApplicationScoped
@Named("csvReaderFactory")
public class CsvReaderFactory {

    private final int maxRecordChars;
    private final long maxFileBytes;
    private final BoundedContent.Limits limits;
    private final CsvLineConverter converter;
    private final Map<Dialect, CsvDataFormat> formats = new ConcurrentHashMap<>();

    @Inject
    public CsvReaderFactory(PipelineConfig config, CsvLineConverter converter) {
        this(config.limits().maxRecordChars(), config.limits().maxFileBytes(), BoundedContent.Limits.of(config),
                converter);
    }

    public CsvReaderFactory(int maxRecordChars, long maxFileBytes, BoundedContent.Limits limits,
            CsvLineConverter converter) {
        this.maxRecordChars = maxRecordChars;
        this.maxFileBytes = maxFileBytes;
        this.limits = limits;
        this.converter = converter;
    }

    public void open(Exchange exchange) throws IOException {
        File file = exchange.getIn().getBody(File.class);
        CsvLayout layout = exchange.getProperty(ExchangeProperties.CSV_LAYOUT, CsvLayout.class);
        LineTrackingReader reader = reader(file, layout);
        exchange.setProperty(ExchangeProperties.CSV_READER, reader);
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

    /** The file's text in its source's charset, within the limits; a file past max-file-bytes is refused. */
    public LineTrackingReader reader(File file, CsvLayout layout) throws IOException {
        long size;
        try {
            size = java.nio.file.Files.readAttributes(file.toPath(), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).size();
        } catch (java.nio.file.NoSuchFileException e) {
            // Gone between its header and its rows: quarantined like a file that leaves during its read, never
            // a failed read (it would stay PROCESSING, with nothing left in the folder to read again).
            throw InputNames.leftBeforeOpened();
        }
        if (maxFileBytes > 0 && size > maxFileBytes) {
            throw new UnreadableFileException(String.format(java.util.Locale.ROOT,
                    "the file has %,d bytes, more than pipeline.limits.max-file-bytes (%,d)", size, maxFileBytes));
        }
        return LineTrackingReader.open(file.toPath(), layout.source().dialect(), maxRecordChars, limits);
    }

    /** The body, the file's reader, parsed by {@code camel-csv} in the dialect of the file's source. */
    public Object parse(Exchange exchange) throws Exception {
        CsvLayout layout = exchange.getProperty(ExchangeProperties.CSV_LAYOUT, CsvLayout.class);
        CsvDataFormat format = formats.computeIfAbsent(layout.source().dialect(), this::format);
        return format.unmarshal(exchange, exchange.getIn().getBody());
    }

    private CsvDataFormat format(Dialect dialect) {
        CsvDataFormat format = new CsvDataFormat();
        format.setDelimiter(dialect.delimiter());
        if (dialect.quote() == null) {
            format.setQuoteDisabled(true);
        } else {
            format.setQuote(dialect.quote());
        }
        format.setLazyLoad(true);
        format.setIgnoreEmptyLines(false);
        format.setRecordConverter(converter);
        ServiceHelper.startService(format);
        return format;
    }
}
