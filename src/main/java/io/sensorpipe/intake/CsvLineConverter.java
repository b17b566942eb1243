package io.sensorpipe.intake;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.dataformat.csv.CsvRecordConverter;
import org.apache.commons.csv.CSVRecord;

/** Keeps where each record starts, so {@link RowChunker} can recover its line and its text. */
@ApplicationScoped
@Named("csvLineConverter")
public class CsvLineConverter implements CsvRecordConverter<ParsedRecord> {

    @Override
    public ParsedRecord convertRecord(CSVRecord record) {
        // values() is the record's own array, which it does not touch again: wrapped, not copied.
        return new ParsedRecord(record.getRecordNumber(), record.getCharacterPosition(), Arrays.asList(record.values()));
    }
}
