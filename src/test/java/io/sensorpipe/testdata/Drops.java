package io.sensorpipe.testdata;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Input files as tests put them into the data folder, and the shared real data set. */
public final class Drops {

    private static final Path REAL_DATA = Path.of("..", "shared", "data", "real");

    private Drops() {
    }

    /** Copies a file into the data folder in one atomic step, as a well-behaved producer would; returns its name. */
    public static String drop(Path dataDir, Path source, String name) throws IOException {
        Files.createDirectories(dataDir);
        Path staged = dataDir.resolve(name + ".part");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }

    /**
     * A real file of the shared data set. Absent, the test is skipped with a message, unless
     * {@code SENSORPIPE_REAL_DATA=required} (CI sets it): then its absence fails the test.
     */
    public static Path realFile(String name) {
        Path real = REAL_DATA.resolve(name);
        if (!Files.isReadable(real) && "required".equals(System.getenv("SENSORPIPE_REAL_DATA"))) {
            throw new AssertionError(real.toAbsolutePath() + " is absent, and SENSORPIPE_REAL_DATA=required");
        }
        assumeTrue(Files.isReadable(real), "skipped: " + real.toAbsolutePath() + " is absent (shared real data)");
        return real;
    }
}
