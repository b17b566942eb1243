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
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.SafeFiles;

/**
 * Keeps the file consumer to what it may read: regular files, in the data folder itself, with names
 * that can be carried through. Anything else named {@code *.csv} in {@code data/} (a symbolic link,
 * a FIFO, a device, a socket, a directory, a name with a control character, a hidden file) is never
 * opened: the consumer's {@link #accept filter} refuses it, and {@link #screen} records it in
 * {@code ingest_file} as {@code SKIPPED} with the reason and moves it (a rename, which opens nothing)
 * into {@code quarantine/.skipped/}. A regular file with more than one name (a hard link, perhaps to a
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
    private final Folders folders;
    private final FileClaims claims;

    public DataFolderScreen(DataSource dataSource, PipelineConfig config, Folders folders, FileClaims claims) {
        this.dataSource = dataSource;
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath();
        this.folders = folders;
        this.claims = claims;
    }

    /** The file consumer's filter: only what {@link #reasonNotToRead} has nothing against. */
    @Override
    public boolean accept(GenericFile<File> file) {
        return file.isDirectory() || reasonNotToRead(file.getFile().toPath()) == null;
    }

    /** Records and moves away what the consumer will not read; called by the {@code data-folder-screen} route. */
    public void screen() throws IOException, SQLException {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!isCsvName(name)) {
                    continue;
                }
                String reason = reasonNotToRead(entry);
                // Claimed like a file to read, so that of several instances screening one folder one
                // records and moves the entry.
                if (reason != null && claims.add(name)) {
                    try {
                        skip(entry, name, reason);
                    } finally {
                        claims.remove(name);
                    }
                }
            }
        }
    }

    private void skip(Path entry, String name, String reason) throws SQLException {
        boolean hidden = name.startsWith(".");
        long size = size(entry);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SKIP)) {
            ps.setString(1, name);
            ps.setLong(2, size);
            ps.setString(3, IngestStatus.SKIPPED.name());
            ps.setString(4, reason);
            ps.setBoolean(5, hidden);
            ps.setString(6, name);
            ps.setString(7, IngestStatus.SKIPPED.name());
            ps.setLong(8, size);
            if (ps.executeUpdate() == 0) {
                return; // a hidden file recorded before
            }
        }
        if (hidden) {
            LOG.warnf("%s SKIPPED: %s", escaped(name), reason);
            return;
        }
        try {
            folders.requireWritable(folders.quarantine());
            folders.requireWritable(folders.skipped());
            // A rename: the entry itself moves (a link stays a link, a FIFO is not opened), replacing nothing.
            Path moved = SafeFiles.moveToFreeName(entry, folders.skipped(), name);
            LOG.warnf("%s SKIPPED: %s; moved, unread, to %s", escaped(name), reason,
                    escaped(folders.quarantine().relativize(moved).toString()));
        } catch (IOException e) {
            LOG.warnf("%s SKIPPED: %s; it stays in the data folder (%s)", escaped(name), reason, e.getMessage());
        }
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
