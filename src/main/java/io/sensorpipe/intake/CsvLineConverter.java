package io.sensorpipe.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.dataformat.csv.CsvRecordConverter;
import org.apache.commons.csv.CSVRecord;

/**
 * Keeps commons-csv's record number with each record. The data format is set to keep empty lines
 * and no header, so record number N is physical line N (a quoted field spanning lines shifts it).
 */
@ApplicationScoped
@Named("csvLineConverter")
public class CsvLineConverter implements CsvRecordConverter<CsvLine> {

    @Override
    public CsvLine convertRecord(CSVRecord record) {
        return new CsvLine(record.getRecordNumber(), record.toList());
    }
}
