package io.sensorpipe.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.intake.DataFolderScreen;
import io.sensorpipe.intake.FileClaims;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.support.Folders;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.TestConfig;

/**
 * {@code data-folder-screen} as its YAML declares it, on its timer, against a real database and folder:
 * an entry never to be read is recorded SKIPPED with its reason and moved, unopened, to
 * {@code quarantine/.skipped}; a hidden one is only recorded; a regular file is left to csv-intake; and
 * the claim of a file this instance read that has left the folder is let go.
 */
class DataFolderScreenRouteTest extends RouteTestSupport {

    private DataSource database;
    private InputFiles inputFiles;

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "data-folder-screen.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        database = LedgerDatabase.fresh();
        Path data = work.resolve("data");
        inputFiles = LedgerDatabase.inputFiles(database, data, context);
        registry.bind("inputFiles", inputFiles);
        Folders folders = new Folders(work.resolve("quarantine"), data.resolve(".done"));
        registry.bind("dataFolderScreen", new DataFolderScreen(database,
                TestConfig.pipeline(Map.of("pipeline.data-dir", data.toString())),
                new FileClaims(database, context, Duration.ofSeconds(30))));
        registry.bind("fileMoves", new io.sensorpipe.intake.FileMoves(inputFiles, folders));
    }

    @Test
    void entriesNeverToBeReadAreRecordedAndMovedAndFinishedFilesLetGo() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Path outside = Files.writeString(work.resolve("outside.txt"), "secret");
        Path link = Files.createSymbolicLink(data.resolve("link.csv"), outside);
        Files.createDirectories(data.resolve("folder.csv"));
        Files.writeString(data.resolve(".hidden.csv"), "x");
        Path regular = Files.writeString(data.resolve("regular.csv"), "sensor_id\n");
        Path read = Files.writeString(data.resolve("read.csv"), "sensor_id\n");
        assertTrue(inputFiles.add(new org.apache.camel.support.DefaultExchange(context), "read.csv"),
                "this instance claims a file it reads");
        assertEquals(1, inputFiles.inFlight());
        Files.delete(read); // another instance finished it and moved it away

        context.start();
        IngestFiles files = new IngestFiles(database);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("SKIPPED", status(files, "link.csv"));
            assertEquals("SKIPPED", status(files, "folder.csv"));
            assertEquals("SKIPPED", status(files, ".hidden.csv"));
        });
        Path skipped = work.resolve("quarantine/.skipped");
        assertTrue(Files.isSymbolicLink(skipped.resolve("link.csv")), "moved as a link, never followed");
        assertTrue(Files.isDirectory(skipped.resolve("folder.csv"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(data.resolve(".hidden.csv")), "a hidden file is only recorded");
        assertTrue(Files.exists(regular) && files.byName("regular.csv") == null, "a file to read is csv-intake's");
        assertEquals("secret", Files.readString(outside), "the link's target untouched");
        await().atMost(Duration.ofSeconds(10)).until(() -> inputFiles.inFlight() == 0);
        assertTrue(new FileClaims(database, context, Duration.ofSeconds(30)).add("read.csv"),
                "its claim let go: another instance may take the name");
    }

    private static String status(IngestFiles files, String name) throws Exception {
        Map<String, Object> row = files.byName(name);
        return row == null ? null : (String) row.get("status");
    }
}
