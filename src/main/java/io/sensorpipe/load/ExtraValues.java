package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.Quantity;

/** The values of the quantities declared without a column of {@code reading}: in {@code reading_value}. */
final class ExtraValues {

    static final String INSERT_EXTRA = "INSERT INTO reading_value (file_id, line_number, quantity, value)"
            + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::float8[])"
            + " ON CONFLICT (file_id, line_number, quantity) DO NOTHING";

    private ExtraValues() {
    }

    /**
     * Those values of the readings this batch inserted, into {@code reading_value} by one statement; a
     * value already there (a redelivery) is left as it is.
     */
    static void insert(Connection c, List<SensorReading> readings, boolean[] inserted, StoredQuantities quantities)
            throws SQLException {
        List<Quantity> declared = quantities.quantities();
        List<Integer> extra = new ArrayList<>();
        for (int q = 0; q < declared.size(); q++) {
            if (declared.get(q).readingColumn() == null) {
                extra.add(q);
            }
        }
        if (extra.isEmpty()) {
            return;
        }
        List<Long> files = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            SensorReading r = readings.get(i);
            if (!inserted[i]) {
                continue;
            }
            for (int q : extra) {
                double value = r.values()[q];
                if (!Double.isNaN(value)) {
                    files.add(r.fileId());
                    lines.add(r.line());
                    names.add(declared.get(q).storedName());
                    values.add(value);
                }
            }
        }
        if (names.isEmpty()) {
            return;
        }
        quantities.register(new HashSet<>(names));
        try (PreparedStatement insert = c.prepareStatement(INSERT_EXTRA)) {
            insert.setArray(1, c.createArrayOf("bigint", files.toArray()));
            insert.setArray(2, c.createArrayOf("bigint", lines.toArray()));
            insert.setArray(3, c.createArrayOf("text", names.toArray()));
            insert.setArray(4, c.createArrayOf("float8", values.toArray()));
            insert.executeUpdate();
        }
    }
}
