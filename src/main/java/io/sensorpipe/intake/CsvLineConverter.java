package io.sensorpipe.intake;

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
        return new ParsedRecord(record.getRecordNumber(), record.getCharacterPosition(), record.toList());
    }
}
