package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileOutcome;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.SafeFiles;

/**
 * The moves out of the data folder, each a step of the route that decided it: a file finished to
 * {@code data/.done/<id>-<name>}, set aside in {@code quarantine/}, or never read, to
 * {@code quarantine/.skipped/}. A move replaces nothing and lets
 * the file's claim go ({@link InputFiles#release}).
 */
@ApplicationScoped
@Named("fileMoves")
public class FileMoves {

    private static final Logger LOG = Logger.getLogger(FileMoves.class);

    private final InputFiles inputFiles;
    private final Folders folders;

    public FileMoves(InputFiles inputFiles, Folders folders) {
        this.inputFiles = inputFiles;
        this.folders = folders;
    }

    /** A file whose load or quarantine finished: to where its outcome says. */
    public void move(@Body FileOutcome outcome) throws IOException {
        inputFiles.release(outcome.path(), outcome.destination());
    }

    /**
     * An entry of the data folder that is never read (a link, a FIFO, a hard link…), recorded
     * {@code SKIPPED}: renamed, unopened, into {@code quarantine/.skipped/}, replacing nothing. An entry
     * that cannot be moved stays where it is, said in the log.
     */
    public void toSkipped(@Body DataFolderScreen.Entry entry) {
        String name = DataFolderScreen.escaped(entry.name());
        try {
            folders.requireWritable(folders.quarantine());
            folders.requireWritable(folders.skipped());
            // A rename: the entry itself moves (a link stays a link, a FIFO is not opened).
            Path moved = SafeFiles.moveToFreeName(entry.path(), folders.skipped(), entry.name());
            LOG.warnf("%s SKIPPED: %s; moved, unread, to %s", name, entry.reason(),
                    DataFolderScreen.escaped(folders.quarantine().relativize(moved).toString()));
        } catch (IOException e) {
            LOG.warnf("%s SKIPPED: %s; it stays in the data folder (%s)", name, entry.reason(), e.getMessage());
        }
    }

    /** A file the intake does not read (a duplicate, or one loaded before): to {@code data/.done/}. */
    public void toDone(@Body File file, @ExchangeProperty(ExchangeProperties.ARRIVAL) IngestLedger.Arrival arrival)
            throws IOException {
        inputFiles.release(file.toPath(), folders.doneFile(arrival.fileId(), file.getName()));
    }
}
