package io.sensorpipe.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Writes and moves in folders that others may write to ({@code data/} and what lies under it, the
 * quarantine folder). Every file is created new and opened without following links, so a name that
 * someone put there beforehand (a symbolic link to a file elsewhere, say) is never written through;
 * a move never replaces what stands at its destination. A file the pipeline rewrites (a report) is
 * written whole under a fresh name and renamed over its earlier version, which replaces the entry,
 * never the file a link points to; and only a regular file with one name is replaced so.
 */
public final class SafeFiles {

    private SafeFiles() {
    }

    /** A new file, opened for writing without following links; fails when the name is taken. */
    public static OutputStream createNew(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Makes room for a new file the pipeline writes under a name of its own: an earlier version of it (a
     * regular file with one name) is removed; anything else standing there (a link, a FIFO, a
     * directory, a file with other names) is left alone and refused.
     */
    public static void clearForRewrite(Path file) throws IOException {
        if (requireReplaceable(file)) {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Writes {@code content} as {@code target}: into a new file beside it, then renamed over it. What
     * stood at {@code target} must be an earlier version of it (see {@link #clearForRewrite}).
     */
    public static void replace(Path target, byte[] content) throws IOException {
        Path partial = target.resolveSibling(".sensorpipe-" + UUID.randomUUID() + ".partial");
        try {
            try (OutputStream out = createNew(partial)) {
                out.write(content);
            }
            requireReplaceable(target);
            // A rename: it replaces the entry at target (a plain file, checked above), never what a link points to.
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Whether something stands at {@code file}: false when nothing does, true when a regular file with one
     * name does (the pipeline may replace it); throws {@link FileAlreadyExistsException} for anything else.
     */
    private static boolean requireReplaceable(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        String problem = oddity(file, attributes);
        if (problem != null) {
            throw new FileAlreadyExistsException(file.getFileName().toString(), null,
                    problem + ": not replaced nor written through");
        }
        return true;
    }

    /**
     * Why an entry is not a plain file the pipeline may open (a link, a special file, a file with several
     * names), or null when it is one.
     */
    public static String oddity(Path entry, BasicFileAttributes attributes) throws IOException {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (!attributes.isRegularFile()) {
            return "not a regular file (a FIFO, a device or a socket)";
        }
        int links = links(entry);
        if (links > 1) {
            return "a hard link (the file has " + links + " names, one of them perhaps outside this folder)";
        }
        return null;
    }

    /** How many names (hard links) the entry has, not following a link. */
    public static int links(Path entry) throws IOException {
        Object links = Files.getAttribute(entry, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        return links instanceof Integer n ? n : 1;
    }

    /**
     * Moves {@code source} into {@code folder} under {@code name}, or, when that name is taken, under
     * {@code <n>~name} for the first n free; never replaces anything. Returns where it went.
     */
    public static Path moveToFreeName(Path source, Path folder, String name) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path target = freeName(folder, name);
            try {
                // Without REPLACE_EXISTING: a name taken (a link included) fails the move instead of being replaced.
                Files.move(source, target, LinkOption.NOFOLLOW_LINKS);
                return target;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e; // taken each time between the look and the move
                }
            }
        }
    }

    /** {@code folder/name} when nothing stands there, else {@code folder/<n>~name} for the first n free. */
    public static Path freeName(Path folder, String name) throws IOException {
        Path target = folder.resolve(name);
        for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            if (n > 1000) {
                throw new FileAlreadyExistsException(folder.resolve(name).toString(), null,
                        "this name and a thousand numbered variants are taken");
            }
            target = folder.resolve(n + "~" + name);
        }
        return target;
    }

    /**
     * Moves {@code source} to {@code destination}, which must not exist, or, when it does, beside it
     * under the first free {@code <n>~name}; returns where it went.
     */
    public static Path moveNoReplace(Path source, Path destination) throws IOException {
        try {
            Files.move(source, destination, LinkOption.NOFOLLOW_LINKS);
            return destination;
        } catch (FileAlreadyExistsException e) {
            return moveToFreeName(source, destination.getParent(), destination.getFileName().toString());
        }
    }
}
