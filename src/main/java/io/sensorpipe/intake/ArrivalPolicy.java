package io.sensorpipe.intake;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.support.Folders;

/**
 * What becomes of a file whose content {@code ingest_file} already knows ({@code PROCESSING} or
 * {@code LOADED} under {@code knownName}), decided from that row and from what the folders hold now.
 * No SQL: {@link IngestLedger} records what this decides.
 */
final class ArrivalPolicy {

    /** The decision. */
    enum Decision {
        /** Read it again under the known id (renamed to the new name if it differs). */
        READ_AGAIN,
        /** Loaded before, not yet moved out: only move it. */
        FINISHED_EARLIER,
        /** A new copy of a content loaded or being loaded: a {@code DUPLICATE}. */
        DUPLICATE
    }

    private final Path dataDir;
    private final Folders folders;

    ArrivalPolicy(Path dataDir, Folders folders) {
        this.dataDir = dataDir.toAbsolutePath();
        this.folders = folders;
    }

    /** A file found in the data folder under {@code name}. */
    Decision ofDrop(long knownId, String knownStatus, String knownName, String name) {
        boolean sameName = knownName.equals(name);
        if (IngestStatus.PROCESSING.is(knownStatus) && (sameName || !inDataFolder(knownName))) {
            // Its earlier read failed or the pipeline stopped before the file was finished (perhaps
            // renamed since): read it again under the same id.
            return Decision.READ_AGAIN;
        }
        if (IngestStatus.LOADED.is(knownStatus) && sameName
                && (!Files.exists(folders.doneFile(knownId, name)) || !inDataFolder(name))) {
            // Finished before the pipeline stopped and not moved yet, or finished (and moved) by another
            // instance while this one was hashing it: not a new drop of the same content.
            return Decision.FINISHED_EARLIER;
        }
        return Decision.DUPLICATE;
    }

    /**
     * An upload: a duplicate of a content loaded, or being loaded from a file still in the data folder;
     * otherwise taken under the known id (an upload whose instance died before handing it over).
     */
    Decision ofUpload(String knownStatus, String knownName) {
        return IngestStatus.LOADED.is(knownStatus) || inDataFolder(knownName) ? Decision.DUPLICATE
                : Decision.READ_AGAIN;
    }

    private boolean inDataFolder(String name) {
        return Files.exists(dataDir.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }
}
