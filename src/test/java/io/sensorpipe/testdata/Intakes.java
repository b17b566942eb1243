package io.sensorpipe.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.sensorpipe.intake.FileIntake;

/** A {@link FileIntake} as the ledger makes one: for a real file, with the attributes it had when registered. */
public final class Intakes {

    private Intakes() {
    }

    /** For {@code file}, which is created (empty) under target/intakes/ when it is a bare name that does not exist. */
    public static FileIntake of(long fileId, Path file, String sha256) {
        try {
            Path path = file.isAbsolute() || file.getParent() != null ? file
                    : Files.createDirectories(Path.of("target", "intakes")).resolve(file);
            if (Files.notExists(path)) {
                Files.createFile(path);
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileIntake(fileId, file.getFileName().toString(), path, sha256, attributes.size(), attributes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
