package io.sensorpipe.intake;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.dataformat.csv.CsvRecordConverter;
import org.apache.commons.csv.CSVRecord;

import io.sensorpipe.quarantine.SpreadsheetSafe;

/** Keeps where each record starts, so {@link RowChunker} can recover its line and its text. */
@ApplicationScoped
@Named("csvLineConverter")
public class CsvLineConverter implements CsvRecordConverter<ParsedRecord> {

    @Override
    public ParsedRecord convertRecord(CSVRecord record) {
        // values() is the record's own array, which it does not touch again: wrapped, not copied.
        String[] values = record.values();
        for (int i = 0; i < values.length; i++) {
            if (!values[i].isEmpty() && values[i].charAt(0) == '\'') {
                // A cell rejected.csv escaped against CSV injection ('=…): read as it was.
                values[i] = SpreadsheetSafe.unescape(values[i]);
            }
        }
        return new ParsedRecord(record.getRecordNumber(), record.getCharacterPosition(), Arrays.asList(values));
    }
}
