package io.sensorpipe.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.sensorpipe.PipelineConfig;

/**
 * The folders the pipeline writes to: the quarantine folder and {@code data/.done}. Each can be probed
 * (created when missing, then a small file written, forced to disk and removed), and a failed write in
 * one is told apart from a failure of the write itself: {@link #unavailable} turns it into a transient
 * {@link FolderUnavailableException} when the folder fails its probe.
 */
@ApplicationScoped
public class Folders {

    private static final String PROBE = ".sensorpipe-write-check";

    private final Path quarantine;
    private final Path done;

    @Inject
    public Folders(PipelineConfig config) {
        this(Path.of(config.quarantineDir()), Path.of(config.dataDir()).resolve(".done"));
    }

    public Folders(Path quarantine, Path done) {
        this.quarantine = quarantine.toAbsolutePath();
        this.done = done.toAbsolutePath();
    }

    public Path quarantine() {
        return quarantine;
    }

    /**
     * Where a finished input file goes: {@code data/.done/<ingest_file id>-<name>}, the name shortened
     * (with a hash of it) when the whole would be too long for the file system.
     */
    public Path doneFile(long fileId, String name) {
        String file = fileId + "-" + name;
        return done.resolve(file.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255 ? file
                : fileId + "-" + ReportNames.base(name));
    }

    public Path done() {
        return done;
    }

    /**
     * {@code quarantine/.skipped}: entries of the data folder that are never opened (links, special files,
     * hard links), moved there unread; hidden, so that they are neither taken for reports nor met by a
     * shell pattern such as {@code quarantine/*}.
     */
    public Path skipped() {
        return quarantine.resolve(".skipped");
    }

    /** Each folder that cannot be written now, with why; empty when both can. */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        String q = probe(quarantine);
        if (q != null) {
            problems.put("quarantine", q);
        }
        String d = probe(done);
        if (d != null) {
            problems.put("done", d);
        }
        return problems;
    }

    /**
     * Throws a {@link FolderUnavailableException} unless this folder is a real directory (created when
     * missing). Cheap enough for every file; the write probe of {@link #problems} runs on the watch.
     */
    public void requireWritable(Path folder) throws FolderUnavailableException {
        String problem = null;
        try {
            if (Files.isSymbolicLink(folder)) {
                problem = "a symbolic link: the pipeline writes only into real folders";
            } else if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(folder);
            } else if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                problem = "not a directory";
            }
        } catch (IOException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (problem != null) {
            throw new FolderUnavailableException(folder, problem, null);
        }
    }

    /**
     * What a failed write in {@code folder} means: the folder is unavailable (transient, the work waits
     * for it), or, when the folder passes its probe, the write's own failure.
     */
    public IOException unavailable(Path folder, IOException failure) {
        String problem = probe(folder);
        return problem == null ? failure : new FolderUnavailableException(folder, problem, failure);
    }

    /** Why the folder cannot be written, or null when it can. */
    public static String probe(Path folder) {
        try {
            if (Files.isSymbolicLink(folder)) {
                return "a symbolic link: the pipeline writes only into real folders";
            }
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(folder);
            }
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                return "not a directory";
            }
            // A name of its own each time, created new: a link put in the folder under it is never written through.
            Path probe = folder.resolve(PROBE + "-" + java.util.UUID.randomUUID());
            try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                channel.write(ByteBuffer.wrap(new byte[] {'o', 'k', '\n'}));
                channel.force(false);
            } finally {
                Files.deleteIfExists(probe);
            }
            return null;
        } catch (IOException | SecurityException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
