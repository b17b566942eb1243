package io.sensorpipe.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;

import io.sensorpipe.ops.FolderUnavailableException;
import io.sensorpipe.ops.Folders;

/**
 * The input files between being picked up and leaving the data folder. The file consumer does not
 * move files ({@code noop}); it uses this repository to skip a file it has already read. A file
 * leaves {@code data/} only when every one of its rows is committed in PostgreSQL or quarantined
 * (or when it is a duplicate, or quarantined whole), through {@link #release}; a read that fails
 * removes it here so that a later poll reads it again. Nothing is kept across a restart on purpose:
 * a file still in {@code data/} after a crash is read again and finished.
 */
@ApplicationScoped
@Named("inputFiles")
public class InputFiles extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = Logger.getLogger(InputFiles.class);

    private static final Object UNKNOWN = new Object();

    /**
     * Absolute path (the file consumer's default idempotent key) to the identity of the file read
     * there (its inode), so that a newcomer dropped at the same path is never moved away unread.
     */
    private final Map<String, Object> inFlight = new ConcurrentHashMap<>();

    /** Remembers which file (by inode) is being read at this path. */
    public void track(Path file, BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        inFlight.put(file.toAbsolutePath().toString(), key == null ? UNKNOWN : key);
    }

    /**
     * Moves a file out of the data folder to {@code destination} and forgets it. A file already gone
     * (e.g. replaced while it was read and set aside) is only forgotten.
     */
    public synchronized void release(Path file, Path destination) throws IOException {
        Path source = file.toAbsolutePath();
        Object readKey = inFlight.get(source.toString());
        try {
            if (Files.exists(source) && sameFile(source, readKey)) {
                try {
                    if (Files.isSymbolicLink(destination.getParent())) {
                        throw new FolderUnavailableException(destination.getParent(),
                                "a symbolic link: the pipeline writes only into real folders", null);
                    }
                    Files.createDirectories(destination.getParent());
                    Files.move(source, destination, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    String problem = Folders.probe(destination.getParent());
                    throw problem == null ? e
                            : new FolderUnavailableException(destination.getParent(), problem, e);
                }
                LOG.debugf("%s moved to %s", source, destination);
            }
        } finally {
            inFlight.remove(source.toString());
        }
    }

    private static boolean sameFile(Path path, Object readKey) throws IOException {
        if (readKey == null || readKey == UNKNOWN) {
            return true;
        }
        boolean same = Objects.equals(readKey, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        if (!same) {
            LOG.warnf("%s is a new file dropped where the file just finished was: left for the next poll", path);
        }
        return same;
    }

    /** How many files are picked up and not yet finished. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Called by the file consumer when a read has completed ({@code idempotentEager=false}). A file
     * already released by then (its rows were all loaded before the read's exchange ended) is not
     * remembered, or a new file of the same name would be skipped.
     */
    @Override
    public synchronized boolean add(String key) {
        return Files.exists(Path.of(key)) && inFlight.putIfAbsent(key, UNKNOWN) == null;
    }

    /**
     * Whether the file at this path is being read or waits for its rows here. A file that left the data
     * folder (finished by another instance, which moved it) or was replaced by another is forgotten.
     */
    @Override
    public boolean contains(String key) {
        Object readKey = inFlight.get(key);
        if (readKey == null) {
            return false;
        }
        try {
            Path path = Path.of(key);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && (readKey == UNKNOWN || Objects.equals(readKey,
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey()))) {
                return true;
            }
        } catch (IOException e) {
            return true;
        }
        inFlight.remove(key, readKey);
        return false;
    }

    @Override
    public boolean remove(String key) {
        return inFlight.remove(key) != null;
    }

    /** Nothing to confirm: a key stays until the file is released or its read fails. */
    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        inFlight.clear();
    }
}
