package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.sensorpipe.records.SensorReading;

/**
 * The {@code sensor_site} of a reading: its sensor at its location and position, registered the first
 * time any instance loads a reading of it. Known sites are kept in memory, so a reading costs a map
 * lookup; a new one costs a statement on a connection of its own (committed at once: the loader's
 * connection is busy with its COPY). Two instances registering the same site meet on the unique
 * index and read the one that won.
 */
@ApplicationScoped
public class SensorSites {

    /** Sites kept in memory; past that the map starts again (each site then costs one SELECT). */
    static final int MAX_KNOWN = 1_000_000;

    static final String REGISTER = "INSERT INTO sensor_site (sensor_id, location_id, lat, lon) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (sensor_id, coalesce(location_id, -1), coalesce(lat, 'NaN'), coalesce(lon, 'NaN'))"
            + " DO NOTHING RETURNING site_id";

    static final String FIND = "SELECT site_id FROM sensor_site WHERE sensor_id = ?"
            + " AND coalesce(location_id, -1) = coalesce(?, -1) AND coalesce(lat, 'NaN') = coalesce(?, 'NaN')"
            + " AND coalesce(lon, 'NaN') = coalesce(?, 'NaN')";

    private record Site(long sensorId, Long locationId, Double lat, Double lon) {
        boolean of(SensorReading r) {
            return sensorId == r.sensorId() && Objects.equals(locationId, r.locationId()) && Objects.equals(lat, r.lat())
                    && Objects.equals(lon, r.lon());
        }
    }

    private record Known(Site site, long id) {
    }

    private final DataSource dataSource;
    private final Map<Site, Long> known = new ConcurrentHashMap<>();
    /** The last site looked up: a file's readings mostly come from one sensor in a row. */
    private volatile Known last;

    public SensorSites(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The site id of the reading's placement, registering the placement if it is new. */
    public long idOf(SensorReading r) throws SQLException {
        Known recent = last;
        if (recent != null && recent.site().of(r)) {
            return recent.id();
        }
        Site site = new Site(r.sensorId(), r.locationId(), r.lat(), r.lon());
        Long id = known.get(site);
        if (id == null) {
            id = register(site);
            if (known.size() >= MAX_KNOWN) {
                known.clear();
            }
            known.put(site, id);
        }
        last = new Known(site, id);
        return id;
    }

    private long register(Site site) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(REGISTER)) {
                bind(insert, site);
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement find = c.prepareStatement(FIND)) {
                bind(find, site);
                try (ResultSet rs = find.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
        }
        throw new SQLException("sensor_site has no row for sensor " + site.sensorId() + " although it was registered");
    }

    private static void bind(PreparedStatement ps, Site site) throws SQLException {
        ps.setLong(1, site.sensorId());
        if (site.locationId() == null) {
            ps.setNull(2, Types.BIGINT);
        } else {
            ps.setLong(2, site.locationId());
        }
        if (site.lat() == null) {
            ps.setNull(3, Types.DOUBLE);
        } else {
            ps.setDouble(3, site.lat());
        }
        if (site.lon() == null) {
            ps.setNull(4, Types.DOUBLE);
        } else {
            ps.setDouble(4, site.lon());
        }
    }
}
