package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.sensorpipe.routes.LedgerDatabase;
import io.sensorpipe.testdata.TestConfig;

/**
 * The unit lock on a real database: a quantity is registered in its unit the first time it is stored, and
 * once stored it cannot be stored in another: the loader's batch fails saying so.
 */
class StoredQuantitiesTest {

    @Test
    void aQuantityStoredInOneUnitCannotBeStoredInAnother() throws Exception {
        DataSource database = LedgerDatabase.fresh();
        new StoredQuantities(database, TestConfig.sources(Map.of("pipeline.sources.files",
                "classpath:sources.yaml,classpath:onboarding/sources.yaml"))).register(Set.of("co", "ah", "co_response"));
        assertEquals(Map.of("ah", "g/m3", "co", "mg/m3", "co_response", "1"), extraUnits(database));

        StoredQuantities changed = new StoredQuantities(database, TestConfig.sources(Map.of("pipeline.sources.files",
                "classpath:sources.yaml,classpath:sources-check/co-in-ppm.yaml")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> changed.register(Set.of("co")));
        assertEquals("quantity 'co' is stored in mg/m3, but configured in ppm: give the new unit a quantity of its own",
                e.getMessage());
        assertEquals(Map.of("ah", "g/m3", "co", "mg/m3", "co_response", "1"), extraUnits(database), "nothing changed");
    }

    @Test
    void aQuantityDeclaredWithAColumnOfReadingNeedsThatColumnAndKeepsItsUnit() throws Exception {
        DataSource database = LedgerDatabase.fresh();
        StoredQuantities shipped = new StoredQuantities(database, TestConfig.sources());
        shipped.checkColumns();
        assertEquals("COPY reading (file_id, line_number, site_id, measured_at, pressure_hpa, temperature_c,"
                + " humidity_pct, pm10_ugm3, pm25_ugm3) FROM STDIN", "COPY reading (" + shipped.row().columns()
                + ") FROM STDIN", "the shipped quantities fill reading's columns, in their declared order");

        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> new StoredQuantities(database,
                TestConfig.sources(Map.of("pipeline.sources.files", "classpath:sources-check/columns.yaml")))
                .checkColumns());
        assertEquals("quantity 'wind' is declared with reading-column wind_ms, but reading has no such column",
                missing.getMessage());

        IllegalStateException otherUnit = assertThrows(IllegalStateException.class, () -> new StoredQuantities(
                database, TestConfig.sources(Map.of("pipeline.sources.files", "classpath:sources-check/pressure-in-pa.yaml")))
                .checkColumns());
        assertEquals("quantity 'pressure_hpa' is stored in hPa, but configured in Pa: give the new unit a quantity of"
                + " its own", otherUnit.getMessage());
    }

    private static Map<String, String> extraUnits(DataSource database) throws Exception {
        Map<String, String> units = new TreeMap<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, unit FROM quantity"
                        + " WHERE name NOT IN ('pressure_hpa', 'temperature_c', 'humidity_pct', 'pm10_ugm3', 'pm25_ugm3')")) {
            while (rs.next()) {
                units.put(rs.getString(1), rs.getString(2));
            }
        }
        return units;
    }
}
