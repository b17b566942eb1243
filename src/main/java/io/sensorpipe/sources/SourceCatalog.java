package io.sensorpipe.sources;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import io.sensorpipe.records.Quantities;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.sources.Source.From;
import io.sensorpipe.sources.Source.Origin;
import io.sensorpipe.sources.Units.Conversion;

/**
 * The configured sources, read from the YAML files {@code pipeline.sources.files} names (the shipped
 * {@code classpath:sources.yaml} holds the Sofia shapes) and checked once: a source that makes no
 * sense stops the application with every problem listed. The files are bound to records by
 * {@link SourcesYaml} (a key no record has, or a value of the wrong shape, is refused there); what is
 * checked here is what needs thought: names, units and conversions, ranges, columns, time stamps,
 * patterns. The format is described in docs/sources.md.
 */
public final class SourceCatalog {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final List<Source> sources;
    private final List<Quantity> quantities;
    private final Quantities order;

    private SourceCatalog(List<Source> sources, List<Quantity> quantities) {
        this.sources = List.copyOf(sources);
        this.quantities = List.copyOf(quantities);
        int[] decimals = new int[quantities.size()];
        for (int i = 0; i < decimals.length; i++) {
            decimals[i] = quantities.get(i).decimals();
        }
        this.order = Quantities.of(quantities.stream().map(Quantity::name).toList(), decimals);
    }

    /** The declared quantities, in declaration order: a source's slots after the {@link Field}s. */
    public List<Quantity> quantities() {
        return quantities;
    }

    /** The same quantities as a reading's values are placed by. */
    public Quantities order() {
        return order;
    }

    /** The sources in the order they are declared, files in the order they are named. */
    public List<Source> sources() {
        return sources;
    }

    /** The source of this name, or null. */
    public Source source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Reads and checks the sources of these files ({@code classpath:…} or a path); throws
     * {@link IllegalArgumentException} naming every problem.
     */
    public static SourceCatalog load(List<String> files, RuleSet rules) {
        List<String> problems = new ArrayList<>();
        Map<String, SourcesYaml.File> documents = new LinkedHashMap<>();
        for (String file : files) {
            String text;
            try {
                text = read(file.trim());
            } catch (IOException e) {
                problems.add(file + ": cannot be read: " + e.getMessage());
                continue;
            }
            Object document;
            try {
                document = new Load(LoadSettings.builder().setLabel(file).build()).loadFromString(text);
            } catch (YamlEngineException e) {
                problems.add(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
                continue;
            }
            SourcesYaml.File bound = SourcesYaml.bind(document, SourcesYaml.File.class, file, "", problems);
            if (bound != null) {
                documents.put(file, bound);
            }
        }
        // The quantities of every file first: a source may store one declared in another file.
        List<Quantity> quantities = new ArrayList<>();
        Map<String, String> declaredIn = new HashMap<>();
        Map<String, String> storedBy = new HashMap<>();
        documents.forEach((file, document) -> {
            if (document.quantities() != null) {
                document.quantities().forEach((name, declaration) -> {
                    String where = file + ": quantities." + name;
                    Quantity q = quantity(name, declaration, where, problems);
                    String earlier = declaredIn.putIfAbsent("quantity " + name, file);
                    if (earlier != null) {
                        problems.add(where + ": quantity '" + name + "' is already declared in " + earlier);
                    } else if (q != null) {
                        String other = storedBy.putIfAbsent(q.storedName(), name);
                        if (other != null) {
                            problems.add(where + ": stored as '" + q.storedName() + "', as quantity '" + other
                                    + "' is; each quantity needs a stored name of its own");
                        } else {
                            quantities.add(q);
                        }
                    }
                });
            }
        });
        Map<String, Conversion> declared = new LinkedHashMap<>();
        documents.forEach((file, document) -> {
            if (document.conversions() != null) {
                declaredConversions(file, document.conversions(), quantities, declared, problems);
            }
        });
        configuredRanges(rules, quantities, declared, problems);
        for (String key : rules.required()) {
            if (Field.byKey(key) == null && quantities.stream().noneMatch(q -> q.name().equals(key))) {
                problems.add("pipeline.rules.required: unknown field '" + key + "' (known: " + Field.keys()
                        + " and the quantities " + quantities.stream().map(Quantity::name).toList() + ")");
            }
        }
        List<Source> sources = new ArrayList<>();
        documents.forEach((file, document) -> {
            if (document.sources() == null) {
                return;
            }
            for (Map.Entry<String, Object> e : document.sources().entrySet()) {
                String name = e.getKey();
                String path = "sources." + name;
                if (!NAME.matcher(name).matches()) {
                    problems.add(file + ": " + path + ": a source's name is letters, digits, '.', '_' and '-'");
                }
                String earlier = declaredIn.putIfAbsent(name, file);
                if (earlier != null) {
                    problems.add(file + ": " + path + ": source '" + name + "' is already declared in " + earlier);
                    continue;
                }
                SourcesYaml.SourceEntry entry = SourcesYaml.bind(e.getValue(), SourcesYaml.SourceEntry.class, file, path,
                        problems);
                if (entry == null) {
                    continue;
                }
                Source source = new Builder(name, entry, file, path, rules, List.copyOf(quantities), declared,
                        problems).build();
                if (source != null) {
                    sources.add(source);
                }
            }
        });
        if (problems.isEmpty() && sources.isEmpty()) {
            problems.add(String.join(",", files) + ": no source is declared");
        }
        checkDistinct(sources, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid sources (" + problems.size() + "): " + String.join("; ", problems));
        }
        return new SourceCatalog(sources, quantities);
    }

    /** The columns of {@code reading} that say which reading a row is: no quantity is stored in or as them. */
    private static final Set<String> KEY_COLUMNS = Set.of("file_id", "line_number", "site_id", "measured_at");
    private static final Pattern QUANTITY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static Quantity quantity(String name, SourcesYaml.QuantityDeclaration declaration, String where,
            List<String> problems) {
        int before = problems.size();
        if (!QUANTITY_NAME.matcher(name).matches()) {
            problems.add(where + ": a quantity's name is a lower-case letter, then lower-case letters, digits"
                    + " and '_'");
        } else if (Field.byKey(name) != null || KEY_COLUMNS.contains(name)) {
            problems.add(where + ": '" + name + "' is a field of every reading; a quantity needs a name of its own");
        }
        if (declaration == null) {
            problems.add(where + ": a mapping (key: value) is expected");
            return null;
        }
        if (declaration.unit() == null) {
            problems.add(where + ".unit is missing: the unit " + name + " is stored in (any name, e.g. one of "
                    + Units.storable() + ", or \"" + Units.DIMENSIONLESS + "\" for a dimensionless quantity)");
        } else {
            String problem = Units.problemWithStored(declaration.unit());
            if (problem != null) {
                problems.add(where + ".unit: " + problem);
            }
        }
        if (declaration.min() == null || declaration.max() == null) {
            problems.add(where + ": min and max, its plausible range in its unit");
        }
        int decimals = declaration.decimals() == null ? Quantity.DEFAULT_DECIMALS : declaration.decimals();
        if (decimals < 0 || decimals > ReadingCodec.MAX_DECIMALS) {
            problems.add(where + ".decimals: from 0 to " + ReadingCodec.MAX_DECIMALS + ", not " + decimals);
        }
        String column = declaration.readingColumn();
        if (column != null && (!QUANTITY_NAME.matcher(column).matches() || KEY_COLUMNS.contains(column))) {
            problems.add(where + ".reading-column: '" + column + "' cannot be a quantity's column of reading"
                    + " (lower-case letters, digits and '_', not one of " + new TreeSet<>(KEY_COLUMNS) + ")");
        }
        if (problems.size() > before) {
            return null;
        }
        double min = declaration.min();
        double max = declaration.max();
        if (min > max) {
            problems.add(where + ": min " + min + " is above max " + max);
        }
        if (problems.size() > before) {
            return null;
        }
        String unit = Units.canonical(declaration.unit());
        return new Quantity(name, unit, new Range(min, max, unit), decimals, column);
    }

    /**
     * {@code pipeline.rules.range.<quantity>}: a range from configuration replaces the quantity's declared
     * one, converted from its unit to the quantity's stored unit.
     */
    private static void configuredRanges(RuleSet rules, List<Quantity> quantities, Map<String, Conversion> declared,
            List<String> problems) {
        rules.quantityRanges().forEach((name, r) -> {
            String key = "pipeline.rules.range." + name;
            int at = -1;
            for (int i = 0; i < quantities.size(); i++) {
                at = quantities.get(i).name().equals(name) ? i : at;
            }
            if (at < 0) {
                problems.add(key + ": '" + name + "' is neither a coordinate " + Field.keys(Field.Kind.COORDINATE)
                        + " nor a declared quantity " + quantities.stream().map(Quantity::name).toList());
                return;
            }
            Quantity q = quantities.get(at);
            String from = Units.canonical(r.unit().orElseThrow());
            Conversion c = from.equals(q.unit()) ? Conversion.IDENTITY : Units.conversion(from, q.unit());
            if (c == null) {
                c = declared.get(from + "\u0000" + q.unit());
            }
            if (c == null) {
                problems.add(key + ".unit: no conversion from '" + r.unit().get() + "' to " + q.unit() + " (known: "
                        + Units.accepted(q.unit()) + ")");
                return;
            }
            quantities.set(at, q.withRange(new Range(c.applyExactly(r.min()), c.applyExactly(r.max()), q.unit())));
        });
    }

    /**
     * Conversions beyond the built-in table, {@code stored = value * factor + offset}: each from a unit
     * a file writes to a unit a quantity is stored in, neither the same unit nor one the table converts.
     */
    private static void declaredConversions(String file, List<SourcesYaml.ConversionDeclaration> list,
            List<Quantity> quantities, Map<String, Conversion> declared, List<String> problems) {
        Set<String> storedUnits = new TreeSet<>();
        quantities.forEach(q -> storedUnits.add(q.unit()));
        for (int i = 0; i < list.size(); i++) {
            String where = file + ": conversions[" + i + "]";
            SourcesYaml.ConversionDeclaration n = list.get(i);
            if (n == null) {
                problems.add(where + ": a mapping (key: value) is expected");
                continue;
            }
            if (n.from() == null || n.to() == null || n.factor() == null) {
                problems.add(where + ": from, to and factor (and an optional offset): stored = value * factor + offset");
                continue;
            }
            String from = Units.canonical(n.from());
            String to = Units.canonical(n.to());
            BigDecimal factor = n.factor();
            BigDecimal offset = n.offset() == null ? BigDecimal.ZERO : n.offset();
            int before = problems.size();
            String problem = Units.problemWithName(from);
            if (problem != null) {
                problems.add(where + ".from: " + problem);
            }
            if (!storedUnits.contains(to)) {
                problems.add(where + ".to: no quantity is stored in '" + to + "' (stored units: " + storedUnits + ")");
            }
            if (from.equals(to)) {
                problems.add(where + ": from and to are both '" + to + "'; a unit needs no conversion to itself");
            } else if (Units.conversion(from, to) != null) {
                problems.add(where + ": " + from + " to " + to + " is built in");
            }
            if (factor.signum() == 0) {
                problems.add(where + ".factor: a factor of 0 would store every reading as the offset");
            }
            if (problems.size() > before) {
                continue;
            }
            if (declared.putIfAbsent(from + "\u0000" + to, Conversion.declared(factor, offset)) != null) {
                problems.add(where + ": " + from + " to " + to + " is declared twice");
            }
        }
    }

    /** Two sources whose headers are the same need a file-name pattern to tell their files apart. */
    private static void checkDistinct(List<Source> sources, List<String> problems) {
        for (int i = 0; i < sources.size(); i++) {
            for (int j = i + 1; j < sources.size(); j++) {
                Source a = sources.get(i);
                Source b = sources.get(j);
                if (a.fileName() == null && b.fileName() == null && a.dialect().delimiter() == b.dialect().delimiter()
                        && lower(a.columns()).equals(lower(b.columns()))) {
                    problems.add("sources " + a.name() + " and " + b.name() + " claim the same header "
                            + a.columns() + " and neither has a file-name pattern to tell their files apart");
                }
            }
        }
    }

    private static Set<String> lower(Collection<String> columns) {
        Set<String> set = new TreeSet<>();
        columns.forEach(c -> set.add(c.toLowerCase(Locale.ROOT)));
        return set;
    }

    private static String read(String file) throws IOException {
        if (file.startsWith("classpath:")) {
            String resource = file.substring("classpath:".length());
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (InputStream in = (loader != null ? loader : SourceCatalog.class.getClassLoader())
                    .getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no such resource");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    /** Builds one source from its entry as bound, adding what is wrong with it to the problems. */
    private static final class Builder {
        private final String name;
        private final SourcesYaml.SourceEntry entry;
        private final String file;
        private final String path;
        private final RuleSet rules;
        private final List<String> problems;
        private final List<Quantity> quantities;
        private final Map<String, Conversion> declared;
        private final From[] from;
        private final boolean[] required;
        private final Range[] range;
        private final Conversion[] conversion;
        private final Sentinels[] missing;
        private final List<String> columns = new ArrayList<>();
        private final Set<String> columnKeys = new LinkedHashSet<>();
        private Pattern fileName;
        private String dateColumn;
        private String timeColumn;
        private TimestampSpec timestamp;

        Builder(String name, SourcesYaml.SourceEntry entry, String file, String path, RuleSet rules,
                List<Quantity> quantities, Map<String, Conversion> declared, List<String> problems) {
            this.name = name;
            this.entry = entry;
            this.file = file;
            this.path = path;
            this.declared = declared;
            this.rules = rules;
            this.quantities = quantities;
            this.problems = problems;
            int slots = Field.count() + quantities.size();
            from = new From[slots];
            required = new boolean[slots];
            range = new Range[slots];
            conversion = new Conversion[slots];
            missing = new Sentinels[slots];
        }

        /** A list's values; one the YAML left empty ({@code ~}) is a problem. */
        private List<String> texts(String key, List<String> list) {
            if (list == null) {
                return List.of();
            }
            if (list.contains(null)) {
                problems.add(where(key) + ": a list of single values is expected");
            }
            return list.stream().filter(java.util.Objects::nonNull).toList();
        }

        /** Where a key of this source sits, for messages: {@code file: sources.name.key}. */
        private String where(String key) {
            return file + ": " + path + (key.isEmpty() ? "" : "." + key);
        }

        Source build() {
            int before = problems.size();
            if (entry.version() == null || entry.version().isBlank()) {
                problems.add(where("") + ".version is missing: it is stamped on every report of the source's files");
            }
            if (entry.fileName() != null) {
                try {
                    fileName = Pattern.compile(entry.fileName());
                } catch (PatternSyntaxException e) {
                    problems.add(where("file-name") + ": '" + entry.fileName() + "' is not a regular expression: "
                            + e.getDescription());
                }
            }
            Dialect dialect = dialect(entry.dialect());
            Set<String> defaultMissing = new LinkedHashSet<>(texts("missing", entry.missing()));
            if (entry.fields() == null) {
                problems.add(where("") + ".fields is missing: sensor_id and timestamp at least");
            } else {
                fields(entry.fields());
            }
            if (entry.quantities() == null) {
                problems.add(where("") + ".quantities is missing: a source stores at least one quantity");
            } else {
                quantities(entry.quantities(), defaultMissing, dialect.decimalSeparator());
            }
            for (String column : texts("ignore-columns", entry.ignoreColumns())) {
                column(where("ignore-columns"), column);
            }
            required(entry.required() == null ? null : texts("required", entry.required()));
            if (problems.size() > before) {
                return null;
            }
            return new Source(name, entry.version(), dialect, fileName, columns, from, dateColumn, timeColumn,
                    timestamp, required, range, conversion, missing, quantities);
        }

        private Dialect dialect(SourcesYaml.DialectEntry n) {
            Dialect d = Dialect.DEFAULT;
            if (n == null) {
                return d;
            }
            char delimiter = character("dialect.delimiter", n.delimiter(), d.delimiter());
            Character quote = d.quote();
            if (n.quote() != null) {
                quote = n.quote().equals("none") ? null : character("dialect.quote", n.quote(), '"');
            }
            char decimal = character("dialect.decimal-separator", n.decimalSeparator(), d.decimalSeparator());
            if (decimal != '.' && decimal != ',') {
                problems.add(where("dialect.decimal-separator") + ": '.' or ','");
            }
            if (decimal == delimiter) {
                problems.add(where("dialect") + ": the decimal separator and the delimiter are both '" + delimiter + "'");
            }
            if (quote != null && quote == delimiter) {
                problems.add(where("dialect") + ": the quote and the delimiter are both '" + delimiter + "'");
            }
            if (delimiter == '\n' || delimiter == '\r') {
                problems.add(where("dialect") + ".delimiter: a line break cannot separate fields");
            }
            Charset charset = d.charset();
            if (n.charset() != null) {
                try {
                    charset = Charset.forName(n.charset());
                    String ascii = "sensor_id,;\t\"\r\n0123456789.";
                    if (!charset.canEncode() || !java.util.Arrays.equals(ascii.getBytes(charset),
                            ascii.getBytes(StandardCharsets.US_ASCII))) {
                        problems.add(where("dialect.charset") + ": " + charset.name() + " does not write ASCII as ASCII;"
                                + " a header is found by its bytes (UTF-16 and UTF-32 files are not read)");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where("dialect.charset") + ": unknown charset '" + n.charset() + "'");
                }
            }
            int skip = 0;
            if (n.skipLines() != null) {
                if (n.skipLines() < 0 || n.skipLines() > 1000) {
                    problems.add(where("dialect.skip-lines") + ": a whole number from 0 to 1000, not '"
                            + n.skipLines() + "'");
                } else {
                    skip = n.skipLines();
                }
            }
            boolean skipEmpty = Boolean.TRUE.equals(n.skipEmptyRows());
            return new Dialect(delimiter, quote, decimal, charset, skip, skipEmpty);
        }

        private char character(String key, String text, char otherwise) {
            if (text == null) {
                return otherwise;
            }
            if (text.equals("\\t") || text.equals("tab")) {
                return '\t';
            }
            if (text.length() != 1) {
                problems.add(where(key) + ": one character, not '" + text + "'");
                return otherwise;
            }
            return text.charAt(0);
        }

        private void fields(Map<String, Object> fields) {
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                String key = "fields." + e.getKey();
                Field field = Field.byKey(e.getKey());
                if (field == null) {
                    problems.add(where(key) + ": unknown field '" + e.getKey() + "' (fields: " + Field.keys()
                            + "; readings go under quantities)");
                } else if (field == Field.TIMESTAMP) {
                    SourcesYaml.TimestampEntry t = SourcesYaml.bind(e.getValue(), SourcesYaml.TimestampEntry.class,
                            file, path + "." + key, problems);
                    if (t != null) {
                        timestamp(key, t);
                    }
                } else {
                    SourcesYaml.FieldEntry f = SourcesYaml.bind(e.getValue(), SourcesYaml.FieldEntry.class, file,
                            path + "." + key, problems);
                    if (f != null) {
                        field(field, key, f);
                    }
                }
            }
            if (from[Field.SENSOR_ID.ordinal()] == null) {
                problems.add(where("fields") + ".sensor_id is missing: every reading needs its sensor");
            }
            if (timestamp == null && !fields.containsKey("timestamp")) {
                problems.add(where("fields") + ".timestamp is missing: every reading needs its time");
            }
        }

        private void field(Field field, String key, SourcesYaml.FieldEntry f) {
            int given = (f.column() != null ? 1 : 0) + (f.constant() != null ? 1 : 0) + (f.fileNameGroup() != null ? 1 : 0);
            if (given != 1) {
                problems.add(where(key) + ": one of column, constant or file-name-group");
                return;
            }
            if (f.column() != null) {
                column(where(key + ".column"), f.column());
                from[field.ordinal()] = new From(Origin.COLUMN, f.column());
            } else if (f.constant() != null) {
                String value = f.constant();
                String problem = field.kind() == Field.Kind.IDENTIFIER ? (isWhole(value) ? null : "a whole number")
                        : (isNumber(value) ? null : "a decimal number");
                if (problem != null) {
                    problems.add(where(key + ".constant") + ": '" + value + "' is not " + problem);
                }
                from[field.ordinal()] = new From(Origin.CONSTANT, value);
            } else {
                String value = f.fileNameGroup();
                if (fileName == null) {
                    problems.add(where(key + ".file-name-group") + ": the source has no file-name pattern to take"
                            + " group '" + value + "' from");
                } else if (!fileName.pattern().contains("(?<" + value + ">")) {
                    problems.add(where(key + ".file-name-group") + ": the file-name pattern " + fileName.pattern()
                            + " has no group named '" + value + "'");
                }
                from[field.ordinal()] = new From(Origin.FILE_NAME, value);
            }
            if (field.isNumeric()) {
                conversion[field.ordinal()] = Conversion.IDENTITY;
                range[field.ordinal()] = rules.range(field);
            }
        }

        private void timestamp(String key, SourcesYaml.TimestampEntry t) {
            ZoneId zone = ZoneOffset.UTC;
            if (t.zone() != null) {
                try {
                    zone = ZoneId.of(t.zone());
                } catch (DateTimeException e) {
                    problems.add(where(key + ".zone") + ": unknown time zone '" + t.zone() + "'");
                }
            }
            boolean standardTime = Boolean.TRUE.equals(t.standardTime());
            if (standardTime && zone instanceof ZoneOffset) {
                problems.add(where(key + ".standard-time") + ": standard-time goes with a region's zone"
                        + " (Europe/Rome); a fixed offset (" + zone + ") has no daylight saving to ignore");
            }
            boolean single = t.column() != null;
            boolean split = t.dateColumn() != null || t.timeColumn() != null;
            if (single == split) {
                problems.add(where(key) + ": either column (with formats) or date-column and time-column (with"
                        + " date-format and time-format)");
                return;
            }
            if (single) {
                if (t.dateFormat() != null || t.timeFormat() != null) {
                    problems.add(where(key) + ": date-format and time-format go with date-column and time-column");
                }
                column(where(key + ".column"), t.column());
                from[Field.TIMESTAMP.ordinal()] = new From(Origin.COLUMN, t.column());
                List<String> formats = t.formats() != null ? texts(key + ".formats", t.formats())
                        : rules.timestampFormats();
                String formatsWhere = t.formats() != null ? where(key + ".formats") : "pipeline.rules.timestamp-formats";
                if (formats.isEmpty()) {
                    problems.add(formatsWhere + ": at least one format");
                    return;
                }
                boolean ok = true;
                for (String format : formats) {
                    String problem = TimestampSpec.problemWith(format);
                    if (problem != null) {
                        problems.add(formatsWhere + ": " + problem);
                        ok = false;
                    }
                }
                if (ok) {
                    timestamp = TimestampSpec.ofFormats(formats, zone, standardTime);
                }
                return;
            }
            Map<String, String> parts = new LinkedHashMap<>();
            parts.put("date-column", t.dateColumn());
            parts.put("time-column", t.timeColumn());
            parts.put("date-format", t.dateFormat());
            parts.put("time-format", t.timeFormat());
            parts.forEach((part, value) -> {
                if (value == null) {
                    problems.add(where(key) + "." + part + " is missing");
                }
            });
            if (t.formats() != null) {
                problems.add(where(key + ".formats") + ": formats goes with column; a split timestamp has"
                        + " date-format and time-format");
            }
            if (parts.containsValue(null)) {
                return;
            }
            dateColumn = t.dateColumn();
            timeColumn = t.timeColumn();
            column(where(key + ".date-column"), dateColumn);
            column(where(key + ".time-column"), timeColumn);
            boolean ok = true;
            for (String part : List.of("date-format", "time-format")) {
                String format = parts.get(part);
                String problem = format.equals("ISO") ? "ISO is for a whole timestamp in one column"
                        : TimestampSpec.problemWith(format);
                if (problem != null) {
                    problems.add(where(key + "." + part) + ": " + problem);
                    ok = false;
                }
            }
            if (ok) {
                timestamp = TimestampSpec.ofDateAndTime(t.dateFormat(), t.timeFormat(), zone, standardTime);
            }
        }

        private void quantities(Map<String, Object> quantities, Set<String> defaultMissing, char decimalSeparator) {
            if (quantities.isEmpty()) {
                problems.add(where("quantities") + ": a source stores at least one quantity");
            }
            for (Map.Entry<String, Object> e : quantities.entrySet()) {
                String key = "quantities." + e.getKey();
                int slot = slotOf(e.getKey());
                if (slot < 0) {
                    List<String> known = this.quantities.stream().map(Quantity::name).toList();
                    problems.add(where(key) + ": unknown quantity '" + e.getKey() + "' (known: " + known
                            + "; declare a new one under quantities: at the top of a sources file)");
                    continue;
                }
                SourcesYaml.QuantityEntry q = SourcesYaml.bind(e.getValue(), SourcesYaml.QuantityEntry.class, file,
                        path + "." + key, problems);
                if (q == null) {
                    continue;
                }
                String storedUnit = storedUnit(slot);
                if (q.column() == null) {
                    problems.add(where(key) + ".column is missing");
                } else {
                    column(where(key + ".column"), q.column());
                    from[slot] = new From(Origin.COLUMN, q.column());
                }
                if (q.unit() == null) {
                    problems.add(where(key) + ".unit is missing: the unit " + e.getKey() + " arrives in (stored in "
                            + storedUnit + "; accepted: " + Units.accepted(storedUnit) + ")");
                } else {
                    conversion[slot] = conversion(where(key + ".unit"), q.unit(), e.getKey(), storedUnit);
                }
                Set<String> sentinels = new LinkedHashSet<>(defaultMissing);
                sentinels.addAll(texts(key + ".missing", q.missing()));
                missing[slot] = Sentinels.of(sentinels, decimalSeparator);
                range[slot] = q.range() != null ? range(key + ".range", q.range(), e.getKey(), storedUnit)
                        : defaultRange(slot);
            }
        }

        /** The slot of a declared quantity, after the {@link Field}s; -1 for none. */
        private int slotOf(String quantity) {
            for (int i = 0; i < quantities.size(); i++) {
                if (quantities.get(i).name().equals(quantity)) {
                    return Field.count() + i;
                }
            }
            return -1;
        }

        private String storedUnit(int slot) {
            return quantities.get(slot - Field.count()).unit();
        }

        private Range defaultRange(int slot) {
            return quantities.get(slot - Field.count()).range();
        }

        /** The unit's conversion to the stored one: none for the same unit, else the table's or a declared one. */
        private Conversion conversion(String where, String unit, String quantity, String storedUnit) {
            String from = Units.canonical(unit);
            if (from.equals(Units.canonical(storedUnit))) {
                return Conversion.IDENTITY;
            }
            Conversion c = Units.conversion(from, storedUnit);
            if (c == null) {
                c = declared.get(from + "\u0000" + Units.canonical(storedUnit));
            }
            if (c == null) {
                List<String> known = new ArrayList<>(Units.accepted(storedUnit));
                if (known.isEmpty()) {
                    known.add(storedUnit);
                }
                declared.keySet().stream().filter(k -> k.endsWith("\u0000" + Units.canonical(storedUnit)))
                        .forEach(k -> known.add(k.substring(0, k.indexOf('\u0000'))));
                problems.add(where + ": no conversion from '" + unit + "' to " + storedUnit
                        + ", the unit " + quantity + " is stored in (known: " + known
                        + "; declare one under conversions: at the top of a sources file)");
            }
            return c;
        }

        private Range range(String key, SourcesYaml.RangeEntry n, String quantity, String storedUnit) {
            if (n.min() == null || n.max() == null) {
                problems.add(where(key) + ": min and max");
                return null;
            }
            if (n.unit() == null) {
                problems.add(where(key) + ".unit is missing: a range says its unit");
                return null;
            }
            double min = n.min();
            double max = n.max();
            Conversion c = conversion(where(key + ".unit"), n.unit(), quantity, storedUnit);
            if (c == null || !Double.isFinite(min) || !Double.isFinite(max)) {
                return null;
            }
            if (min > max) {
                problems.add(where(key) + ": min " + min + " is above max " + max);
                return null;
            }
            return new Range(c.applyExactly(min), c.applyExactly(max), storedUnit);
        }

        private void required(List<String> names) {
            String where = names == null ? "pipeline.rules.required" : where("required");
            for (String key : names == null ? rules.required() : names) {
                Field field = Field.byKey(key.trim());
                int slot = field != null ? field.ordinal() : slotOf(key.trim());
                if (slot < 0) {
                    if (names != null) { // pipeline.rules.required is checked once, in load
                        problems.add(where + ": unknown field '" + key + "' (known: " + Field.keys()
                                + " and the quantities)");
                    }
                    continue;
                }
                if (from[slot] == null && !(field == Field.TIMESTAMP && dateColumn != null)) {
                    if (names != null) {
                        problems.add(where + ": requires " + key + ", which the source does not map");
                    }
                    continue;
                }
                required[slot] = true;
            }
        }

        /** A column the header must name; each column feeds one field. */
        private void column(String where, String column) {
            if (column.isBlank()) {
                problems.add(where + ": a column has a name");
            } else if (!columnKeys.add(column.trim().toLowerCase(Locale.ROOT))) {
                problems.add(where + ": column '" + column + "' is named twice in the source");
            } else {
                columns.add(column.trim());
            }
        }

        private static boolean isWhole(String s) {
            return s.matches("[+-]?\\d{1,18}");
        }

        private static boolean isNumber(String s) {
            return s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)");
        }
    }
}
