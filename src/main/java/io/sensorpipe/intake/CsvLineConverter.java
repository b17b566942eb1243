package io.sensorpipe.intake;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.dataformat.csv.CsvRecordConverter;
import org.apache.commons.csv.CSVRecord;

import io.sensorpipe.PipelineConfig;

/** Keeps where each record starts, so {@link RowChunker} can recover its line and its text. */
@ApplicationScoped
@Named("csvLineConverter")
public class CsvLineConverter implements CsvRecordConverter<ParsedRecord> {

    private final int maxFields;

    @Inject
    public CsvLineConverter(PipelineConfig config) {
        this(config.limits().maxFields());
    }

    /** @param maxFields fields kept of a record; a longer one keeps these and is rejected for its count */
    public CsvLineConverter(int maxFields) {
        this.maxFields = maxFields;
    }

    @Override
    public ParsedRecord convertRecord(CSVRecord record) {
        // values() is the record's own array, which it does not touch again: wrapped, not copied.
        String[] values = record.values();
        int fields = values.length;
        if (fields > maxFields) {
            // A row that long is rejected for its field count; only a few fields are kept while it waits.
            values = Arrays.copyOf(values, maxFields);
        }
        for (int i = 0; i < values.length; i++) {
            if (!values[i].isEmpty() && values[i].charAt(0) == '\'') {
                // A cell rejected.csv escaped against CSV injection ('=…): read as it was.
                values[i] = SpreadsheetSafe.unescape(values[i]);
            }
        }
        return new ParsedRecord(record.getRecordNumber(), record.getCharacterPosition(), Arrays.asList(values), fields);
    }
}
