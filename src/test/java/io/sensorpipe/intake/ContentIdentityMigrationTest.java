package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.sensorpipe.routes.LedgerDatabase;
import io.sensorpipe.testdata.TestConfig;

/**
 * V11 on a database that already knows files: a plain file is its own content; a file dropped
 * compressed before content hashes were kept is still known by its bytes, and is known by its content
 * too once the same bytes arrive again; after that the same rows uncompressed are a duplicate.
 */
class ContentIdentityMigrationTest {

    private static final String PLAIN = "a".repeat(64);
    private static final String GZ_BYTES = "b".repeat(64);
    private static final String GZ_CONTENT = "c".repeat(64);

    private static Flyway flyway(DataSource database, String target) {
        return Flyway.configure().dataSource(database).locations("classpath:db/migration").target(target).load();
    }

    private static List<String> rows(DataSource database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void filesKnownBeforeTheMigrationAreKnownAfterIt() throws Exception {
        DataSource database = LedgerDatabase.empty();
        flyway(database, "10").migrate();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ingest_file (id, file_name, sha256, size_bytes, status, rows_total, rows_loaded,"
                    + " rows_quarantined) VALUES (1, 'a.csv', '" + PLAIN + "', 10, 'LOADED', 0, 0, 0),"
                    + " (2, 'b.CSV.GZ', '" + GZ_BYTES + "', 10, 'LOADED', 0, 0, 0)");
            st.execute("ALTER SEQUENCE ingest_file_id_seq RESTART WITH 10");
        }

        flyway(database, "latest").migrate();

        assertEquals(List.of("1|" + PLAIN + "|" + PLAIN, "2|" + GZ_BYTES + "|null"),
                rows(database, "SELECT id, sha256, content_sha256 FROM ingest_file ORDER BY id"));
        Path dataDir = Files.createTempDirectory(Path.of("target"), "content-identity");
        IngestLedger ledger = new IngestLedger(database, TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString())),
                new io.sensorpipe.support.Folders(TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString()))));

        IngestLedger.Arrival plainAgain = ledger.recordArrival("a-again.csv", new ContentHash.Identity(PLAIN, PLAIN), 10);
        assertEquals(IngestLedger.Verdict.DUPLICATE, plainAgain.verdict());
        assertEquals(1, plainAgain.originalId());

        IngestLedger.Arrival gzAgain = ledger.recordArrival("b-again.csv.gz", new ContentHash.Identity(GZ_BYTES, GZ_CONTENT), 10);
        assertEquals(IngestLedger.Verdict.DUPLICATE, gzAgain.verdict(), "the same bytes: known by them");
        assertEquals(2, gzAgain.originalId());
        assertEquals(List.of("2|" + GZ_BYTES + "|" + GZ_CONTENT), rows(database,
                "SELECT id, sha256, content_sha256 FROM ingest_file WHERE id = 2"), "and now by its content too");

        IngestLedger.Arrival unpacked = ledger.recordArrival("b.csv", new ContentHash.Identity(GZ_CONTENT, GZ_CONTENT), 10);
        assertEquals(IngestLedger.Verdict.DUPLICATE, unpacked.verdict(), "the same rows uncompressed");
        assertEquals(2, unpacked.originalId());
    }
}
