package io.sensorpipe.validation;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import jakarta.validation.Validator;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.Reason;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.CsvLayout;

/**
 * Validates a whole chunk of rows in one call, with the same mapper, rules (Hibernate Validator) and
 * standardiser as the {@code row-validation} route, so that a valid row costs no Camel exchange of its
 * own. The rows it rejects go through {@code row-validation} one by one afterwards, which rejects them
 * again through the dead-letter channel into {@code row-quarantine}, with their reasons.
 */
@Singleton
@Named("chunkValidator")
public class ChunkValidator {

    private final RowMapper mapper;
    private final Validator validator;
    private final ReadingStandardiser standardiser;

    public ChunkValidator(RowMapper mapper, Validator validator, ReadingStandardiser standardiser) {
        this.mapper = mapper;
        this.validator = validator;
        this.standardiser = standardiser;
    }

    /** Keeps the valid rows' readings in {@value #ExchangeProperties.VALID_READINGS}; returns the rows that did not pass. */
    public List<CsvLine> validate(@Body List<CsvLine> chunk, @ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.CSV_LAYOUT) CsvLayout layout, Exchange exchange) {
        List<SensorReading> valid = new ArrayList<>(chunk.size());
        List<CsvLine> rejected = new ArrayList<>();
        for (CsvLine line : chunk) {
            try {
                SensorRow row = mapper.toRow(line, layout);
                if (validator.validate(row).isEmpty()) {
                    valid.add(standardiser.standardise(row, intake, layout, line.lineNumber(), line.raw()));
                } else {
                    rejected.add(line);
                }
            } catch (RuntimeException e) {
                // row-validation meets the same exception and quarantines the row with it
                rejected.add(line);
            }
        }
        exchange.setProperty(ExchangeProperties.VALID_READINGS, valid);
        return rejected;
    }

    /**
     * The reasons {@code row-validation} gives a line {@link #validate} rejected (its mapper and rules,
     * through the bean validator), as {@code row-quarantine} writes them; null when it passes after all.
     * For check-file, which has no routes.
     */
    public List<Reason> reasons(CsvLine line, CsvLayout layout) {
        try {
            SensorRow row = mapper.toRow(line, layout);
            return validator.validate(row).isEmpty() ? null : Reasons.of(row);
        } catch (RuntimeException e) {
            return Reasons.ofFailure(e);
        }
    }

    /**
     * The chunk's readings: those that passed here, plus any that {@code row-validation} accepted after
     * all (none, with the same rules; but a row is never dropped on a disagreement).
     */
    public List<SensorReading> merge(@Body List<?> fromRoute, @ExchangeProperty(ExchangeProperties.VALID_READINGS) List<SensorReading> valid,
            Exchange exchange) {
        for (Object row : fromRoute) {
            if (row instanceof SensorReading reading) {
                valid.add(reading);
            }
        }
        exchange.removeProperty(ExchangeProperties.VALID_READINGS);
        exchange.setProperty(ExchangeProperties.VALID_ROW_COUNT, valid.size());
        return valid;
    }
}
