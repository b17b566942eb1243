package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.sources.ExtraQuantity;
import io.sensorpipe.sources.SourceCatalog;

/**
 * Registers each configured quantity (with its unit) in {@code quantity} the first time its values are
 * stored, on a connection of its own. A quantity already registered in another unit (a sources file
 * changed the unit but kept the name) cannot be stored: its values would mean two things. The batch
 * fails saying so, and the loader holds until the configuration is put right.
 */
@ApplicationScoped
public class StoredQuantities {

    static final String REGISTER = "INSERT INTO quantity (name, unit) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    static final String UNIT = "SELECT unit FROM quantity WHERE name = ?";

    private final DataSource dataSource;
    private final Map<String, String> units = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public StoredQuantities(DataSource dataSource, SourceCatalog sources) {
        this.dataSource = dataSource;
        for (ExtraQuantity q : sources.extras()) {
            units.put(q.name(), q.unit());
        }
    }

    /** Makes sure {@code quantity} holds these quantities in their configured units. */
    public void register(Set<String> names) throws SQLException {
        for (String name : names) {
            if (registered.contains(name)) {
                continue;
            }
            String unit = units.get(name);
            if (unit == null) {
                throw new IllegalStateException("quantity '" + name + "' is not configured on this instance: its"
                        + " sources files must declare it under quantities:");
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (PreparedStatement insert = c.prepareStatement(REGISTER)) {
                    insert.setString(1, name);
                    insert.setString(2, unit);
                    insert.executeUpdate();
                }
                try (PreparedStatement find = c.prepareStatement(UNIT)) {
                    find.setString(1, name);
                    try (ResultSet rs = find.executeQuery()) {
                        rs.next();
                        String stored = rs.getString(1);
                        if (!unit.equals(stored)) {
                            throw new IllegalStateException("quantity '" + name + "' is stored in " + stored
                                    + ", but configured in " + unit + ": give the new unit a quantity of its own");
                        }
                    }
                }
            }
            registered.add(name);
        }
    }
}
