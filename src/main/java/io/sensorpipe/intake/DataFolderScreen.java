package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.support.SafeFiles;

/**
 * Keeps the file consumer to what it may read: regular files, in the data folder itself, with names
 * that can be carried through. Anything else named {@code *.csv} in {@code data/} (a symbolic link,
 * a FIFO, a device, a socket, a directory, a name with a control character, a hidden file) is never
 * opened: the consumer's {@link #accept filter} refuses it, and {@code data-folder-screen} records it
 * in {@code ingest_file} as {@code SKIPPED} with the reason ({@link #record}) and moves it (a rename,
 * which opens nothing) into {@code quarantine/.skipped/} ({@link FileMoves#toSkipped}). A regular file with more than one name (a hard link, perhaps to a
 * file outside the data folder) is skipped the same way. A hidden file stays where it is (an upload in progress is often
 * written under a dot-name), recorded once.
 */
@ApplicationScoped
@Named("dataFolderScreen")
public class DataFolderScreen implements GenericFileFilter<File> {

    private static final Logger LOG = Logger.getLogger(DataFolderScreen.class);

    private static final String SKIP = "INSERT INTO ingest_file (file_name, sha256, size_bytes, status, error,"
            + " completed_at) SELECT ?, NULL, ?, ?, ?, now() WHERE NOT ? OR NOT EXISTS (SELECT 1 FROM"
            + " ingest_file WHERE file_name = ? AND status = ? AND size_bytes = ?)";

    private final DataSource dataSource;
    private final Path dataDir;
    private final FileClaims claims;

    public DataFolderScreen(DataSource dataSource, PipelineConfig config, FileClaims claims) {
        this.dataSource = dataSource;
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath();
        this.claims = claims;
    }

    /** The file consumer's filter: only what {@link #reasonNotToRead} has nothing against. */
    @Override
    public boolean accept(GenericFile<File> file) {
        return file.isDirectory() || reasonNotToRead(file.getFile().toPath()) == null;
    }

    /** An entry of the data folder the consumer will not read, and why. */
    public record Entry(Path path, String name, String reason, Verdict verdict) {
    }

    /** What becomes of an entry not to read, once recorded. */
    public enum Verdict {
        /** Not yet recorded. */
        FOUND,
        /** Recorded {@code SKIPPED}: to be moved, unopened, into {@code quarantine/.skipped/}. */
        MOVE_AWAY,
        /** A hidden file: recorded once, left where it is (an upload in progress is often a dot-name). */
        STAY,
        /** A hidden file recorded before: nothing to do. */
        KNOWN
    }

    /**
     * {@code data-folder-screen}'s first step: the entries named {@code *.csv} of the data folder that the
     * consumer will not read, each claimed like a file to read (of several instances screening one folder,
     * one takes each) until {@link #letGo}.
     */
    public List<Entry> entriesNotToRead() throws IOException {
        List<Entry> found = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!isCsvName(name)) {
                    continue;
                }
                String reason = reasonNotToRead(entry);
                if (reason != null && claims.add(name)) {
                    found.add(new Entry(entry, name, reason, Verdict.FOUND));
                }
            }
        }
        return found;
    }

    /** Records the entry in {@code ingest_file} as {@code SKIPPED} with its reason; says what becomes of it. */
    public Entry record(@Body Entry entry) throws SQLException {
        boolean hidden = entry.name().startsWith(".");
        long size = size(entry.path());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SKIP)) {
            ps.setString(1, entry.name());
            ps.setLong(2, size);
            ps.setString(3, IngestStatus.SKIPPED.name());
            ps.setString(4, entry.reason());
            ps.setBoolean(5, hidden);
            ps.setString(6, entry.name());
            ps.setString(7, IngestStatus.SKIPPED.name());
            ps.setLong(8, size);
            if (ps.executeUpdate() == 0) {
                return new Entry(entry.path(), entry.name(), entry.reason(), Verdict.KNOWN);
            }
        }
        if (hidden) {
            LOG.warnf("%s SKIPPED: %s", escaped(entry.name()), entry.reason());
            return new Entry(entry.path(), entry.name(), entry.reason(), Verdict.STAY);
        }
        return new Entry(entry.path(), entry.name(), entry.reason(), Verdict.MOVE_AWAY);
    }

    /** The entry's claim goes, whatever became of it. */
    public void letGo(@Body Entry entry) {
        claims.remove(entry.name());
    }

    /** Why an entry of the data folder must not be read, or null when it may be. */
    String reasonNotToRead(Path entry) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
            return "a hidden file (its name starts with a dot): not read; rename it without the dot to load it";
        }
        if (hasControlCharacter(name)) {
            return "its name contains a control character";
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // gone meanwhile (finished and moved out): nothing to say about it
        } catch (IOException e) {
            return "its attributes cannot be read: " + e.getClass().getSimpleName();
        }
        if (attributes.isSymbolicLink()) {
            return "a symbolic link: links are not followed, only files in the data folder itself are read";
        }
        String oddity;
        try {
            oddity = SafeFiles.oddity(entry, attributes);
        } catch (IOException e) {
            return "its attributes cannot be read: " + e.getClass().getSimpleName();
        }
        if (oddity != null) {
            return oddity.startsWith("a hard link") ? oddity + ": copy it in instead" : oddity;
        }
        if (!entry.toAbsolutePath().getParent().equals(dataDir)) {
            return "not in the data folder";
        }
        return null;
    }

    private static long size(Path entry) {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
        } catch (IOException e) {
            return 0;
        }
    }

    static boolean isCsvName(String name) {
        return InputNames.isInput(name);
    }

    static boolean hasControlCharacter(String name) {
        return name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || c == 0x2028 || c == 0x2029);
    }

    /** A file name as it may be logged: control characters and backslashes escaped. */
    public static String escaped(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c == '\\') {
                out.append("\\\\");
            } else if (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
