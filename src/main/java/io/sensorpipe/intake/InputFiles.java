package io.sensorpipe.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.jboss.logging.Logger;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.support.FolderUnavailableException;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.SafeFiles;

/**
 * The input files between being picked up and leaving the data folder, keyed by name (the data folder is
 * not searched recursively). The file consumer does not move files ({@code noop}); its read lock
 * ({@code readLock=idempotent-changed}) claims a file through {@link #add(Exchange, String)}, in
 * {@link FileClaims} shared by every instance, so each file is read by one instance; and it skips a file
 * this instance has picked up ({@link #contains}). A file leaves {@code data/} only when every one of its
 * rows is committed in PostgreSQL or quarantined (or when it is a duplicate, or quarantined whole),
 * through {@link #release}, on whichever instance finished it; the instance that read it lets its claim go
 * once the file has left ({@link #forgetFinished}). A read that fails lets its claim go at once, so a later
 * poll (of any instance) reads it again. An instance that dies leaves its claims to expire; the files
 * still in {@code data/} are then read again by another instance and finished under their
 * {@code ingest_file} ids.
 */
@ApplicationScoped
@Named("inputFiles")
public class InputFiles extends ServiceSupport implements IdempotentRepository {

    private static final Logger LOG = Logger.getLogger(InputFiles.class);

    private static final Object UNKNOWN = new Object();

    private final Path dataDir;
    private final FileClaims claims;

    /**
     * Name to the identity of the file read under it (its inode), so that a newcomer dropped under the same
     * name is never moved away unread.
     */
    private final Map<String, Object> inFlight = new ConcurrentHashMap<>();

    /** Names of files whose claims this instance holds and failed to let go (the database was away). */
    private final Set<String> unreleased = ConcurrentHashMap.newKeySet();

    @Inject
    public InputFiles(PipelineConfig config, FileClaims claims) {
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath();
        this.claims = claims;
    }

    /** The claims of this instance, refreshed while it holds them. */
    @Produces
    @Singleton
    static FileClaims claims(DataSource dataSource, CamelContext camelContext, PipelineConfig config) {
        return new FileClaims(dataSource, camelContext, config.claimExpiry());
    }

    /** Remembers which file (by inode) is being read under this name. */
    public void track(Path file, BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        inFlight.put(file.getFileName().toString(), key == null ? UNKNOWN : key);
    }

    /**
     * Moves a file out of the data folder to {@code destination}, and lets its claim go if this instance
     * holds it. A file already gone (e.g. replaced while it was read and set aside) is only forgotten.
     */
    public synchronized void release(Path file, Path destination) throws IOException {
        Path source = file.toAbsolutePath();
        String name = source.getFileName().toString();
        Object readKey = inFlight.get(name);
        try {
            if (Files.exists(source, LinkOption.NOFOLLOW_LINKS) && sameFile(source, readKey)) {
                try {
                    if (Files.isSymbolicLink(destination.getParent())) {
                        throw new FolderUnavailableException(destination.getParent(),
                                "a symbolic link: the pipeline writes only into real folders", null);
                    }
                    Files.createDirectories(destination.getParent());
                    // Replaces nothing: a name taken at the destination gets the file beside it (<n>~name).
                    Path moved = SafeFiles.moveNoReplace(source, destination);
                    if (!moved.equals(destination)) {
                        LOG.warnf("%s: %s was taken; moved to %s instead", source.getFileName(), destination, moved);
                    }
                } catch (IOException e) {
                    String problem = Folders.probe(destination.getParent());
                    throw problem == null ? e
                            : new FolderUnavailableException(destination.getParent(), problem, e);
                }
                LOG.debugf("%s moved to %s", source, destination);
            }
        } finally {
            if (readKey != null) {
                forget(name, readKey);
            }
        }
    }

    private static boolean sameFile(Path path, Object readKey) throws IOException {
        if (readKey == null || readKey == UNKNOWN) {
            return true;
        }
        boolean same = Objects.equals(readKey, Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey());
        if (!same) {
            LOG.warnf("%s is a new file dropped where the file just finished was: left for the next poll", path);
        }
        return same;
    }

    /** How many files this instance has picked up and not yet seen finished. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Lets the claims go of the files this instance read that another instance finished (and moved out of
     * the data folder) or that were replaced meanwhile. Called every poll interval (data-folder-screen).
     */
    public void forgetFinished() {
        inFlight.forEach((name, readKey) -> {
            if (!present(name, readKey)) {
                forget(name, readKey);
            }
        });
        unreleased.forEach(this::letGo);
    }

    /**
     * Claims a file for this instance: the file consumer's read lock, before the file is read. False when
     * another instance holds it, or when this instance has already picked it up.
     */
    @Override
    public synchronized boolean add(Exchange exchange, String name) {
        if (inFlight.containsKey(name) || !Files.exists(dataDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (unreleased.contains(name)) {
            // A claim this instance could not let go earlier: let go first (another instance may hold it by now).
            letGo(name);
            if (unreleased.contains(name)) {
                return false;
            }
        }
        if (!claims.add(name)) {
            LOG.debugf("%s is claimed by another instance", name);
            return false;
        }
        inFlight.put(name, UNKNOWN);
        return true;
    }

    /**
     * Called by the file consumer once a read has completed ({@code idempotentEager=false}): the file was
     * claimed and remembered when its read began, so nothing is added here (a new file dropped under the
     * name of one already finished is claimed by its own read lock).
     */
    @Override
    public boolean add(String name) {
        return false;
    }

    /**
     * Whether this instance has picked up the file under this name and not seen it finished. A file that
     * left the data folder (finished by another instance, which moved it) or was replaced by another is
     * forgotten and its claim let go.
     */
    @Override
    public boolean contains(String name) {
        Object readKey = inFlight.get(name);
        if (readKey == null) {
            return false;
        }
        if (present(name, readKey)) {
            return true;
        }
        forget(name, readKey);
        return false;
    }

    private boolean present(String name, Object readKey) {
        Path path = dataDir.resolve(name);
        try {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && (readKey == UNKNOWN || Objects.equals(readKey,
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey()));
        } catch (IOException e) {
            return true;
        }
    }

    private void forget(String name, Object readKey) {
        if (inFlight.remove(name, readKey)) {
            letGo(name);
        }
    }

    /**
     * Deletes this instance's claim on a file. When the database cannot be reached, the claim is let go at
     * a later poll (meanwhile this instance keeps refreshing it, and other instances pass the file over).
     */
    private void letGo(String name) {
        try {
            claims.remove(name);
            unreleased.remove(name);
        } catch (RuntimeException e) {
            if (unreleased.add(name)) {
                LOG.warnf("the claim on %s could not be let go (%s): tried again at the next poll", name, e.getMessage());
            }
        }
    }

    /** A read that did not complete: forgotten and its claim let go, so that a later poll reads the file again. */
    @Override
    public boolean remove(String name) {
        Object readKey = inFlight.get(name);
        if (readKey == null) {
            return false;
        }
        forget(name, readKey);
        return true;
    }

    /** Nothing to confirm: a claim stays until the file is released or its read fails. */
    @Override
    public boolean confirm(String name) {
        return true;
    }

    @Override
    public void clear() {
        inFlight.keySet().forEach(this::remove);
    }

    @Override
    protected void doStart() {
        ServiceHelper.startService(claims);
    }

    /**
     * An instance that stops lets its claims go, so that another instance (or this one, started again)
     * finishes its files without waiting for the claims to expire.
     */
    @Override
    protected void doStop() {
        inFlight.forEach(this::forget);
        unreleased.forEach(this::letGo);
        // Shut down, not only stopped: the claims' keep-alive ends only then.
        ServiceHelper.stopAndShutdownService(claims);
    }
}
