package io.sensorpipe.check;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.apache.camel.impl.DefaultCamelContext;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.PipelineSettings;
import io.sensorpipe.records.Reason;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Dialect;
import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.SourceCatalog;

/**
 * {@code bin/check-file FILE}: a dry run of the intake ({@link DryRun}: csv-intake's beans, publishing replaced
 * by counting) on a sample file, checked against the configured sources without loading
 * anything and without a broker or a database. It says which source the file matches (or why none
 * does), shows the first rows as they would be stored and the first rejected rows with their reasons,
 * and whether the pipeline would quarantine the file whole. The settings are the application's
 * ({@code application.properties}, then environment variables and system properties), so
 * {@code PIPELINE_SOURCES_FILES} points it at the sources being written.
 * <p>
 * Exit status: 0 the file matches a source (some of its rows may be rejected), 1 the pipeline would
 * quarantine it whole, 2 the configuration is invalid, 64 wrong arguments.
 */
public final class CheckFile {

    static final int MATCHED = 0;
    static final int QUARANTINED = 1;
    static final int INVALID_CONFIGURATION = 2;
    static final int USAGE = 64;

    private final PipelineConfig config;
    private final PrintStream out;

    CheckFile(PipelineConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public static void main(String[] args) {
        // Hibernate Validator and Camel announce themselves at INFO: not this command's output.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(run(args, Map.of(), System.out));
    }

    /** Runs the check; {@code overrides} take precedence over every other setting. */
    static int run(String[] args, Map<String, String> overrides, PrintStream out) {
        int rows = 10;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rows") && i + 1 < args.length && args[i + 1].matches("\\d{1,6}")) {
                rows = Integer.parseInt(args[++i]);
            } else if (file == null && !args[i].startsWith("-")) {
                file = Path.of(args[i]);
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            out.println("usage: check-file [--rows N] FILE");
            out.println("Checks FILE against the configured sources (pipeline.sources.files) and loads nothing.");
            return USAGE;
        }
        PipelineConfig config;
        SourceCatalog sources;
        try {
            config = PipelineSettings.read(overrides);
            sources = SourceCatalog.load(config.sources().files(), RuleSet.from(config.rules()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("The configuration is invalid:");
            for (String problem : e.getMessage().split("; ")) {
                out.println("  " + problem);
            }
            return INVALID_CONFIGURATION;
        }
        try {
            return new CheckFile(config, out).check(sources, file, rows);
        } catch (IOException e) {
            out.println(file + ": cannot be read: " + e.getMessage());
            return QUARANTINED;
        }
    }

    int check(SourceCatalog sources, Path file, int shown) throws IOException {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            out.println(file + ": not a regular file");
            return QUARANTINED;
        }
        DryRun.Verdict verdict;
        try (DefaultCamelContext camel = new DefaultCamelContext();
                ValidatorFactory factory = Validation.byDefaultProvider().configure()
                        .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            camel.start();
            verdict = new DryRun(camel, config, sources, factory.getValidator()).check(file, shown);
        }
        CsvLayout layout = verdict.layout();
        if (layout == null) {
            out.println(name + ": matches no source; the pipeline would quarantine it whole:");
            out.println("  " + verdict.quarantine());
            return QUARANTINED;
        }
        Source source = layout.source();
        Dialect d = source.dialect();
        out.printf(Locale.ROOT, "%s: source %s, version %s%n", name, source.name(), source.version());
        out.printf(Locale.ROOT, "  dialect: delimiter '%s', quote %s, decimal separator '%s', %s%s%s%n",
                d.delimiter() == '\t' ? "\\t" : String.valueOf(d.delimiter()),
                d.quote() == null ? "none" : "'" + d.quote() + "'", d.decimalSeparator(), d.charset().name(),
                d.skipLines() > 0 ? ", " + d.skipLines() + " lines before the header skipped" : "",
                d.skipEmptyRows() ? ", empty rows skipped" : "");
        for (int slot = 0; slot < source.slots(); slot++) {
            String origin = origin(layout, slot);
            if (origin != null) {
                out.printf(Locale.ROOT, "  %-12s <- %s%n", source.key(slot), origin);
            }
        }

        long rows = verdict.rows();
        long rejectedRows = verdict.rowsRejected();
        out.printf(Locale.ROOT, "%nrows: %d read, %d valid, %d rejected, %d blank lines skipped%n", rows,
                rows - rejectedRows, rejectedRows, verdict.blankLines());
        if (!verdict.valid().isEmpty()) {
            out.printf(Locale.ROOT, "%nfirst rows as they would be stored (%s):%n", storedUnits(layout));
            for (SensorReading r : verdict.valid()) {
                out.println("  " + stored(r, layout));
            }
        }
        if (!verdict.rejected().isEmpty()) {
            out.printf(Locale.ROOT, "%nfirst rejected rows, with their reasons:%n");
            for (DryRun.Rejected r : verdict.rejected()) {
                out.println("  line " + r.line() + ": " + String.join("; ", r.reasons().stream().map(Reason::message)
                        .toList()) + "\n      " + r.raw());
            }
        }
        out.println();
        if (verdict.quarantine() != null) {
            out.println("The pipeline would quarantine the file whole: " + verdict.quarantine());
            return QUARANTINED;
        }
        out.printf(Locale.ROOT, "The pipeline would load %d rows and quarantine %d, each with its reasons.%n",
                rows - rejectedRows, rejectedRows);
        return MATCHED;
    }

    private static String origin(CsvLayout layout, int slot) {
        Source source = layout.source();
        Source.From from = source.from(slot);
        String what;
        if (slot == Field.TIMESTAMP.ordinal()) {
            what = (source.dateColumn() != null ? "columns '" + source.dateColumn() + "' and '" + source.timeColumn() + "'"
                    : "column '" + from.value() + "'") + ", " + source.timestamp();
        } else if (from == null) {
            return null;
        } else {
            what = switch (from.origin()) {
                case COLUMN -> "column '" + from.value() + "'";
                case CONSTANT -> "constant " + from.value();
                case FILE_NAME -> "the file name's group '" + from.value() + "': " + layout.fixed()[slot];
            };
            if (source.kind(slot) == Field.Kind.QUANTITY) {
                what += source.conversion(slot).isIdentity() ? ", in " + source.storedUnit(slot)
                        : ", converted to " + source.storedUnit(slot);
            }
            if (source.range(slot) != null) {
                what += ", plausible " + source.range(slot).expected();
            }
        }
        return what + (source.isRequired(slot) ? ", required" : "");
    }

    private static String storedUnits(CsvLayout layout) {
        List<String> columns = new ArrayList<>(List.of("line"));
        Source source = layout.source();
        for (int slot = 0; slot < source.slots(); slot++) {
            if (mapped(layout, slot)) {
                columns.add(source.key(slot) + (source.storedUnit(slot) == null ? "" : " " + source.storedUnit(slot))
                        + (slot == Field.TIMESTAMP.ordinal() ? " UTC" : ""));
            }
        }
        return String.join(" | ", columns);
    }

    private static boolean mapped(CsvLayout layout, int slot) {
        return layout.source().from(slot) != null || (slot == Field.TIMESTAMP.ordinal() && layout.source().dateColumn() != null);
    }

    private static String stored(SensorReading r, CsvLayout layout) {
        Object[] fields = {r.sensorId(), r.locationId(), r.lat(), r.lon(), r.measuredAt()};
        List<String> cells = new ArrayList<>(List.of(Long.toString(r.line())));
        Source source = layout.source();
        for (int slot = 0; slot < source.slots(); slot++) {
            if (mapped(layout, slot)) {
                Object v = slot < Field.count() ? fields[slot] : r.value(slot - Field.count());
                cells.add(v == null ? "(none)" : v instanceof Double x ? number(x) : v.toString());
            }
        }
        return String.join(" | ", cells);
    }

    private static String number(double d) {
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
