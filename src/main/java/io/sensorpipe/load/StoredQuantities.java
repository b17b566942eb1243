package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.sources.Quantity;
import io.sensorpipe.sources.SourceCatalog;

/**
 * The declared quantities as the database stores them. Each is registered (with its unit) in
 * {@code quantity} under its stored name the first time it is stored, on a connection of its own; one
 * already registered in another unit (a sources file changed the unit but kept the name) cannot be
 * stored: its values would mean two things. A quantity declared with a {@code reading-column} needs that
 * column in {@code reading}, as {@code double precision}. Either failure fails the batch saying so (the
 * loader's retries, then its dead letters, until the configuration is put right).
 */
@ApplicationScoped
public class StoredQuantities {

    static final String REGISTER = "INSERT INTO quantity (name, unit) VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
    static final String UNIT = "SELECT unit FROM quantity WHERE name = ?";
    static final String COLUMN_TYPE = "SELECT data_type FROM information_schema.columns"
            + " WHERE table_schema = current_schema() AND table_name = 'reading' AND column_name = ?";

    private final DataSource dataSource;
    private final SourceCatalog sources;
    private final ReadingRow row;
    private final Map<String, String> units = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile boolean columnsChecked;

    public StoredQuantities(DataSource dataSource, SourceCatalog sources) {
        this.dataSource = dataSource;
        this.sources = sources;
        this.row = new ReadingRow(sources.quantities());
        for (Quantity q : sources.quantities()) {
            units.put(q.storedName(), q.unit());
        }
    }

    /** A row of {@code reading} as the declared quantities fill it. */
    ReadingRow row() {
        return row;
    }

    /** The declared quantities, in the order a reading's values are placed by. */
    List<Quantity> quantities() {
        return sources.quantities();
    }

    /**
     * Once: the quantities with a column of {@code reading} are registered in their units, and each of
     * their columns is there.
     */
    void checkColumns() throws SQLException {
        if (columnsChecked) {
            return;
        }
        for (Quantity q : sources.quantities()) {
            if (q.readingColumn() == null) {
                continue;
            }
            try (Connection c = dataSource.getConnection();
                    PreparedStatement find = c.prepareStatement(COLUMN_TYPE)) {
                find.setString(1, q.readingColumn());
                try (ResultSet rs = find.executeQuery()) {
                    String type = rs.next() ? rs.getString(1) : null;
                    if (!"double precision".equals(type)) {
                        throw new IllegalStateException("quantity '" + q.name() + "' is declared with reading-column "
                                + q.readingColumn() + ", but reading " + (type == null ? "has no such column"
                                        : "stores it as " + type + ", not double precision"));
                    }
                }
            }
        }
        register(sources.quantities().stream().filter(q -> q.readingColumn() != null).map(Quantity::storedName)
                .collect(Collectors.toSet()));
        columnsChecked = true;
    }

    /** Makes sure {@code quantity} holds the quantities of these stored names in their configured units. */
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
