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

import io.sensorpipe.sources.Source.From;
import io.sensorpipe.sources.Source.Origin;
import io.sensorpipe.sources.Units.Conversion;

/**
 * The configured sources, read from the YAML files {@code pipeline.sources.files} names (the shipped
 * {@code classpath:sources.yaml} holds the Sofia shapes) and checked once: a source that makes no
 * sense stops the application with every problem listed. The format is described in
 * docs/sources.md.
 */
public final class SourceCatalog {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Set<String> SOURCE_KEYS = Set.of("version", "file-name", "dialect", "ignore-columns", "fields",
            "quantities", "missing", "required");
    private static final Set<String> DIALECT_KEYS = Set.of("delimiter", "quote", "decimal-separator", "charset",
            "skip-lines", "skip-empty-rows");
    private static final Set<String> FIELD_KEYS = Set.of("column", "constant", "file-name-group");
    private static final Set<String> TIMESTAMP_KEYS = Set.of("column", "formats", "date-column", "date-format",
            "time-column", "time-format", "zone", "standard-time");
    private static final Set<String> QUANTITY_KEYS = Set.of("column", "unit", "missing", "range");
    private static final Set<String> RANGE_KEYS = Set.of("min", "max", "unit");

    private final List<Source> sources;
    private final List<ExtraQuantity> extras;

    private SourceCatalog(List<Source> sources, List<ExtraQuantity> extras) {
        this.sources = List.copyOf(sources);
        this.extras = List.copyOf(extras);
    }

    /** The quantities configured beyond the {@link Field}s, in declaration order. */
    public List<ExtraQuantity> extras() {
        return extras;
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
        Map<String, Map<String, Node>> documents = new LinkedHashMap<>();
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
            Map<String, Node> entries = new Node(file, "", document, problems)
                    .entries(Set.of("sources", "quantities", "conversions"));
            if (entries != null) {
                documents.put(file, entries);
            }
        }
        // The quantities of every file first: a source may store one declared in another file.
        List<ExtraQuantity> extras = new ArrayList<>();
        Map<String, String> declaredIn = new HashMap<>();
        documents.forEach((file, entries) -> {
            Node quantities = entries.get("quantities");
            Map<String, Node> byName = quantities == null ? null : quantities.entries(null);
            if (byName != null) {
                byName.forEach((name, node) -> {
                    ExtraQuantity q = extraQuantity(name, node, problems);
                    String earlier = declaredIn.putIfAbsent("quantity " + name, file);
                    if (earlier != null) {
                        problems.add(node.where() + ": quantity '" + name + "' is already declared in " + earlier);
                    } else if (q != null) {
                        extras.add(q);
                    }
                });
            }
        });
        Map<String, Conversion> declared = new LinkedHashMap<>();
        documents.forEach((file, entries) -> {
            if (entries.containsKey("conversions")) {
                declaredConversions(entries.get("conversions"), extras, declared, problems);
            }
        });
        List<Source> sources = new ArrayList<>();
        documents.forEach((file, entries) -> {
            Node all = entries.get("sources");
            Map<String, Node> byName = all == null ? null : all.entries(null);
            if (byName == null) {
                return;
            }
            for (Map.Entry<String, Node> e : byName.entrySet()) {
                String name = e.getKey();
                if (!NAME.matcher(name).matches()) {
                    problems.add(e.getValue().where() + ": a source's name is letters, digits, '.', '_' and '-'");
                }
                String earlier = declaredIn.putIfAbsent(name, file);
                if (earlier != null) {
                    problems.add(e.getValue().where() + ": source '" + name + "' is already declared in " + earlier);
                    continue;
                }
                Source source = new Builder(name, e.getValue(), rules, List.copyOf(extras), declared, problems).build();
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
        return new SourceCatalog(sources, extras);
    }

    /** Built-in names a new quantity may not take: the fields', and the reading table's columns. */
    private static final Set<String> RESERVED = Set.of("pressure_hpa", "temperature_c", "humidity_pct", "pm10_ugm3",
            "pm25_ugm3", "file_id", "line_number", "site_id", "measured_at");
    private static final Pattern QUANTITY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Set<String> EXTRA_KEYS = Set.of("unit", "min", "max");

    private static ExtraQuantity extraQuantity(String name, Node node, List<String> problems) {
        int before = problems.size();
        if (!QUANTITY_NAME.matcher(name).matches()) {
            problems.add(node.where() + ": a quantity's name is a lower-case letter, then lower-case letters, digits"
                    + " and '_'");
        } else if (Field.byKey(name) != null || RESERVED.contains(name)) {
            problems.add(node.where() + ": '" + name + "' is built in; a new quantity needs a name of its own");
        }
        Map<String, Node> keys = node.entries(EXTRA_KEYS);
        if (keys == null) {
            return null;
        }
        if (!keys.containsKey("unit")) {
            problems.add(node.where() + ".unit is missing: the unit " + name + " is stored in (any name, e.g. one of "
                    + Units.storable() + ", or \"" + Units.DIMENSIONLESS + "\" for a dimensionless quantity)");
        } else {
            String problem = Units.problemWithStored(keys.get("unit").text());
            if (problem != null) {
                problems.add(keys.get("unit").where() + ": " + problem);
            }
        }
        if (!keys.containsKey("min") || !keys.containsKey("max")) {
            problems.add(node.where() + ": min and max, its plausible range in its unit");
        }
        if (problems.size() > before) {
            return null;
        }
        double min = keys.get("min").number();
        double max = keys.get("max").number();
        if (min > max) {
            problems.add(node.where() + ": min " + min + " is above max " + max);
        }
        if (problems.size() > before) {
            return null;
        }
        String unit = Units.canonical(keys.get("unit").text());
        return new ExtraQuantity(name, unit, new Range(min, max, unit));
    }

    private static final Set<String> CONVERSION_KEYS = Set.of("from", "to", "factor", "offset");

    /**
     * Conversions beyond the built-in table, {@code stored = value * factor + offset}: each from a unit
     * a file writes to a unit a quantity is stored in, neither the same unit nor one the table converts.
     */
    private static void declaredConversions(Node list, List<ExtraQuantity> extras, Map<String, Conversion> declared,
            List<String> problems) {
        Set<String> storedUnits = new TreeSet<>();
        for (Field f : Field.values()) {
            if (f.kind() == Field.Kind.QUANTITY) {
                storedUnits.add(f.storedUnit());
            }
        }
        extras.forEach(q -> storedUnits.add(q.unit()));
        for (Node n : list.items()) {
            Map<String, Node> keys = n.entries(CONVERSION_KEYS);
            if (keys == null) {
                continue;
            }
            if (!keys.containsKey("from") || !keys.containsKey("to") || !keys.containsKey("factor")) {
                problems.add(n.where() + ": from, to and factor (and an optional offset): stored = value * factor + offset");
                continue;
            }
            String from = Units.canonical(keys.get("from").text());
            String to = Units.canonical(keys.get("to").text());
            BigDecimal factor = keys.get("factor").decimal();
            BigDecimal offset = keys.containsKey("offset") ? keys.get("offset").decimal() : BigDecimal.ZERO;
            int before = problems.size();
            String problem = Units.problemWithName(from);
            if (problem != null) {
                problems.add(keys.get("from").where() + ": " + problem);
            }
            if (!storedUnits.contains(to)) {
                problems.add(keys.get("to").where() + ": no quantity is stored in '" + to + "' (stored units: "
                        + storedUnits + ")");
            }
            if (from.equals(to)) {
                problems.add(n.where() + ": from and to are both '" + to + "'; a unit needs no conversion to itself");
            } else if (Units.conversion(from, to) != null) {
                problems.add(n.where() + ": " + from + " to " + to + " is built in");
            }
            if (factor != null && factor.signum() == 0) {
                problems.add(keys.get("factor").where() + ": a factor of 0 would store every reading as the offset");
            }
            if (problems.size() > before || factor == null || offset == null) {
                continue;
            }
            if (declared.putIfAbsent(from + "\u0000" + to, Conversion.declared(factor, offset)) != null) {
                problems.add(n.where() + ": " + from + " to " + to + " is declared twice");
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

    /** Builds one source, adding what is wrong with it to the problems. */
    private static final class Builder {
        private final String name;
        private final Node node;
        private final RuleSet rules;
        private final List<String> problems;
        private final List<ExtraQuantity> extras;
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

        Builder(String name, Node node, RuleSet rules, List<ExtraQuantity> extras, Map<String, Conversion> declared,
                List<String> problems) {
            this.name = name;
            this.declared = declared;
            this.node = node;
            this.rules = rules;
            this.extras = extras;
            this.problems = problems;
            int slots = Field.count() + extras.size();
            from = new From[slots];
            required = new boolean[slots];
            range = new Range[slots];
            conversion = new Conversion[slots];
            missing = new Sentinels[slots];
        }

        Source build() {
            int before = problems.size();
            Map<String, Node> keys = node.entries(SOURCE_KEYS);
            if (keys == null) {
                return null;
            }
            String version = keys.containsKey("version") ? keys.get("version").text() : null;
            if (version == null || version.isBlank()) {
                problems.add(node.where() + ".version is missing: it is stamped on every report of the source's files");
            }
            if (keys.containsKey("file-name")) {
                Node n = keys.get("file-name");
                try {
                    fileName = Pattern.compile(n.text());
                } catch (PatternSyntaxException e) {
                    problems.add(n.where() + ": '" + n.text() + "' is not a regular expression: "
                            + e.getDescription());
                }
            }
            Dialect dialect = dialect(keys.get("dialect"));
            Set<String> defaultMissing = keys.containsKey("missing") ? Set.copyOf(keys.get("missing").texts())
                    : Set.of();
            Node fields = keys.get("fields");
            if (fields == null) {
                problems.add(node.where() + ".fields is missing: sensor_id and timestamp at least");
            } else {
                fields(fields);
            }
            Node quantities = keys.get("quantities");
            if (quantities == null) {
                problems.add(node.where() + ".quantities is missing: a source stores at least one quantity");
            } else {
                quantities(quantities, defaultMissing, dialect.decimalSeparator());
            }
            if (keys.containsKey("ignore-columns")) {
                for (String column : keys.get("ignore-columns").texts()) {
                    column(keys.get("ignore-columns"), column);
                }
            }
            required(keys.get("required"));
            if (problems.size() > before) {
                return null;
            }
            return new Source(name, version, dialect, fileName, columns, from, dateColumn, timeColumn, timestamp,
                    required, range, conversion, missing, extras);
        }

        private Dialect dialect(Node n) {
            Dialect d = Dialect.DEFAULT;
            if (n == null) {
                return d;
            }
            Map<String, Node> keys = n.entries(DIALECT_KEYS);
            if (keys == null) {
                return d;
            }
            char delimiter = character(keys.get("delimiter"), d.delimiter());
            Character quote = d.quote();
            Node q = keys.get("quote");
            if (q != null) {
                quote = q.text().equals("none") ? null : character(q, '"');
            }
            char decimal = character(keys.get("decimal-separator"), d.decimalSeparator());
            if (decimal != '.' && decimal != ',') {
                problems.add(keys.get("decimal-separator").where() + ": '.' or ','");
            }
            if (decimal == delimiter) {
                problems.add(n.where() + ": the decimal separator and the delimiter are both '" + delimiter + "'");
            }
            if (quote != null && quote == delimiter) {
                problems.add(n.where() + ": the quote and the delimiter are both '" + delimiter + "'");
            }
            if (delimiter == '\n' || delimiter == '\r') {
                problems.add(n.where() + ".delimiter: a line break cannot separate fields");
            }
            Charset charset = d.charset();
            Node c = keys.get("charset");
            if (c != null) {
                try {
                    charset = Charset.forName(c.text());
                    String ascii = "sensor_id,;\t\"\r\n0123456789.";
                    if (!charset.canEncode() || !java.util.Arrays.equals(ascii.getBytes(charset),
                            ascii.getBytes(StandardCharsets.US_ASCII))) {
                        problems.add(c.where() + ": " + charset.name() + " does not write ASCII as ASCII; a header"
                                + " is found by its bytes (UTF-16 and UTF-32 files are not read)");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(c.where() + ": unknown charset '" + c.text() + "'");
                }
            }
            int skip = keys.containsKey("skip-lines") ? keys.get("skip-lines").integer(0, 1000) : 0;
            boolean skipEmpty = keys.containsKey("skip-empty-rows") && keys.get("skip-empty-rows").bool();
            return new Dialect(delimiter, quote, decimal, charset, skip, skipEmpty);
        }

        private char character(Node n, char otherwise) {
            if (n == null) {
                return otherwise;
            }
            String text = n.text();
            if (text.equals("\\t") || text.equals("tab")) {
                return '\t';
            }
            if (text.length() != 1) {
                problems.add(n.where() + ": one character, not '" + text + "'");
                return otherwise;
            }
            return text.charAt(0);
        }

        private void fields(Node fields) {
            Map<String, Node> keys = fields.entries(null);
            if (keys == null) {
                return;
            }
            for (Map.Entry<String, Node> e : keys.entrySet()) {
                Field field = Field.byKey(e.getKey());
                if (field == null || field.kind() == Field.Kind.QUANTITY) {
                    problems.add(e.getValue().where() + ": unknown field '" + e.getKey() + "' (fields: "
                            + Field.keys(Field.Kind.IDENTIFIER, Field.Kind.COORDINATE, Field.Kind.TIME)
                            + "; readings go under quantities)");
                } else if (field == Field.TIMESTAMP) {
                    timestamp(e.getValue());
                } else {
                    field(field, e.getValue());
                }
            }
            if (from[Field.SENSOR_ID.ordinal()] == null) {
                problems.add(fields.where() + ".sensor_id is missing: every reading needs its sensor");
            }
            if (timestamp == null && !keys.containsKey("timestamp")) {
                problems.add(fields.where() + ".timestamp is missing: every reading needs its time");
            }
        }

        private void field(Field field, Node n) {
            Map<String, Node> keys = n.entries(FIELD_KEYS);
            if (keys == null) {
                return;
            }
            if (keys.size() != 1) {
                problems.add(n.where() + ": one of column, constant or file-name-group");
                return;
            }
            Map.Entry<String, Node> only = keys.entrySet().iterator().next();
            String value = only.getValue().text();
            switch (only.getKey()) {
                case "column" -> {
                    column(only.getValue(), value);
                    from[field.ordinal()] = new From(Origin.COLUMN, value);
                }
                case "constant" -> {
                    String problem = field.kind() == Field.Kind.IDENTIFIER ? (isWhole(value) ? null : "a whole number")
                            : (isNumber(value) ? null : "a decimal number");
                    if (problem != null) {
                        problems.add(only.getValue().where() + ": '" + value + "' is not " + problem);
                    }
                    from[field.ordinal()] = new From(Origin.CONSTANT, value);
                }
                default -> {
                    if (fileName == null) {
                        problems.add(only.getValue().where() + ": the source has no file-name pattern to take group '"
                                + value + "' from");
                    } else if (!fileName.pattern().contains("(?<" + value + ">")) {
                        problems.add(only.getValue().where() + ": the file-name pattern " + fileName.pattern()
                                + " has no group named '" + value + "'");
                    }
                    from[field.ordinal()] = new From(Origin.FILE_NAME, value);
                }
            }
            if (field.isNumeric()) {
                conversion[field.ordinal()] = Conversion.IDENTITY;
                range[field.ordinal()] = rules.range(field);
            }
        }

        private void timestamp(Node n) {
            Map<String, Node> keys = n.entries(TIMESTAMP_KEYS);
            if (keys == null) {
                return;
            }
            ZoneId zone = ZoneOffset.UTC;
            if (keys.containsKey("zone")) {
                try {
                    zone = ZoneId.of(keys.get("zone").text());
                } catch (DateTimeException e) {
                    problems.add(keys.get("zone").where() + ": unknown time zone '" + keys.get("zone").text() + "'");
                }
            }
            boolean standardTime = keys.containsKey("standard-time") && keys.get("standard-time").bool();
            if (standardTime && zone instanceof ZoneOffset) {
                problems.add(keys.get("standard-time").where() + ": standard-time goes with a region's zone"
                        + " (Europe/Rome); a fixed offset (" + zone + ") has no daylight saving to ignore");
            }
            boolean single = keys.containsKey("column");
            boolean split = keys.containsKey("date-column") || keys.containsKey("time-column");
            if (single == split) {
                problems.add(n.where() + ": either column (with formats) or date-column and time-column (with"
                        + " date-format and time-format)");
                return;
            }
            if (single) {
                if (keys.containsKey("date-format") || keys.containsKey("time-format")) {
                    problems.add(n.where() + ": date-format and time-format go with date-column and time-column");
                }
                String column = keys.get("column").text();
                column(keys.get("column"), column);
                from[Field.TIMESTAMP.ordinal()] = new From(Origin.COLUMN, column);
                List<String> formats = keys.containsKey("formats") ? keys.get("formats").texts()
                        : rules.timestampFormats();
                if (formats.isEmpty()) {
                    problems.add(keys.get("formats").where() + ": at least one format");
                    return;
                }
                boolean ok = true;
                for (String format : formats) {
                    String problem = TimestampSpec.problemWith(format);
                    if (problem != null) {
                        problems.add((keys.containsKey("formats") ? keys.get("formats").where()
                                : "pipeline.rules.timestamp-formats") + ": " + problem);
                        ok = false;
                    }
                }
                if (ok) {
                    timestamp = TimestampSpec.ofFormats(formats, zone, standardTime);
                }
                return;
            }
            for (String key : List.of("date-column", "time-column", "date-format", "time-format")) {
                if (!keys.containsKey(key)) {
                    problems.add(n.where() + "." + key + " is missing");
                }
            }
            if (keys.containsKey("formats")) {
                problems.add(keys.get("formats").where() + ": formats goes with column; a split timestamp has"
                        + " date-format and time-format");
            }
            if (keys.size() < 4) {
                return;
            }
            dateColumn = keys.get("date-column").text();
            timeColumn = keys.get("time-column").text();
            column(keys.get("date-column"), dateColumn);
            column(keys.get("time-column"), timeColumn);
            String date = keys.get("date-format").text();
            String time = keys.get("time-format").text();
            boolean ok = true;
            for (Node f : List.of(keys.get("date-format"), keys.get("time-format"))) {
                String problem = f.text().equals("ISO") ? "ISO is for a whole timestamp in one column"
                        : TimestampSpec.problemWith(f.text());
                if (problem != null) {
                    problems.add(f.where() + ": " + problem);
                    ok = false;
                }
            }
            if (ok) {
                timestamp = TimestampSpec.ofDateAndTime(date, time, zone, standardTime);
            }
        }

        private void quantities(Node quantities, Set<String> defaultMissing, char decimalSeparator) {
            Map<String, Node> keys = quantities.entries(null);
            if (keys == null) {
                return;
            }
            if (keys.isEmpty()) {
                problems.add(quantities.where() + ": a source stores at least one quantity");
            }
            for (Map.Entry<String, Node> e : keys.entrySet()) {
                Node n = e.getValue();
                int slot = slotOf(e.getKey());
                if (slot < 0) {
                    List<String> known = new ArrayList<>(Field.keys(Field.Kind.QUANTITY));
                    extras.forEach(x -> known.add(x.name()));
                    problems.add(n.where() + ": unknown quantity '" + e.getKey() + "' (known: " + known
                            + "; declare a new one under quantities: at the top of a sources file)");
                    continue;
                }
                Map<String, Node> q = n.entries(QUANTITY_KEYS);
                if (q == null) {
                    continue;
                }
                String storedUnit = storedUnit(slot);
                if (!q.containsKey("column")) {
                    problems.add(n.where() + ".column is missing");
                } else {
                    String column = q.get("column").text();
                    column(q.get("column"), column);
                    from[slot] = new From(Origin.COLUMN, column);
                }
                if (!q.containsKey("unit")) {
                    problems.add(n.where() + ".unit is missing: the unit " + e.getKey() + " arrives in (stored in "
                            + storedUnit + "; accepted: " + Units.accepted(storedUnit) + ")");
                } else {
                    conversion[slot] = conversion(q.get("unit"), e.getKey(), storedUnit);
                }
                Set<String> sentinels = new LinkedHashSet<>(defaultMissing);
                if (q.containsKey("missing")) {
                    sentinels.addAll(q.get("missing").texts());
                }
                missing[slot] = Sentinels.of(sentinels, decimalSeparator);
                range[slot] = q.containsKey("range") ? range(q.get("range"), e.getKey(), storedUnit) : defaultRange(slot);
            }
        }

        /** The position of a quantity: one of the {@link Field}s, or a configured extra one; -1 for none. */
        private int slotOf(String quantity) {
            Field field = Field.byKey(quantity);
            if (field != null) {
                return field.kind() == Field.Kind.QUANTITY ? field.ordinal() : -1;
            }
            for (int i = 0; i < extras.size(); i++) {
                if (extras.get(i).name().equals(quantity)) {
                    return Field.count() + i;
                }
            }
            return -1;
        }

        private String storedUnit(int slot) {
            return slot < Field.count() ? Field.at(slot).storedUnit() : extras.get(slot - Field.count()).unit();
        }

        private Range defaultRange(int slot) {
            return slot < Field.count() ? rules.range(Field.at(slot)) : extras.get(slot - Field.count()).range();
        }

        /** The unit's conversion to the stored one: none for the same unit, else the table's or a declared one. */
        private Conversion conversion(Node unit, String quantity, String storedUnit) {
            String from = Units.canonical(unit.text());
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
                problems.add(unit.where() + ": no conversion from '" + unit.text() + "' to " + storedUnit
                        + ", the unit " + quantity + " is stored in (known: " + known
                        + "; declare one under conversions: at the top of a sources file)");
            }
            return c;
        }

        private Range range(Node n, String quantity, String storedUnit) {
            Map<String, Node> keys = n.entries(RANGE_KEYS);
            if (keys == null) {
                return null;
            }
            if (!keys.containsKey("min") || !keys.containsKey("max")) {
                problems.add(n.where() + ": min and max");
                return null;
            }
            if (!keys.containsKey("unit")) {
                problems.add(n.where() + ".unit is missing: a range says its unit");
                return null;
            }
            double min = keys.get("min").number();
            double max = keys.get("max").number();
            Conversion c = conversion(keys.get("unit"), quantity, storedUnit);
            if (c == null || Double.isNaN(min) || Double.isNaN(max)) {
                return null;
            }
            if (min > max) {
                problems.add(n.where() + ": min " + min + " is above max " + max);
                return null;
            }
            return new Range(c.applyExactly(min), c.applyExactly(max), storedUnit);
        }

        private void required(Node n) {
            List<String> names = n == null ? rules.required() : n.texts();
            for (String key : names) {
                Field field = Field.byKey(key.trim());
                int slot = field != null ? field.ordinal() : slotOf(key.trim());
                if (slot < 0) {
                    problems.add((n == null ? "pipeline.rules.required" : n.where()) + ": unknown field '" + key
                            + "' (known: " + Field.keys() + " and the quantities)");
                    continue;
                }
                if (from[slot] == null && !(field == Field.TIMESTAMP && dateColumn != null)) {
                    if (n != null) {
                        problems.add(n.where() + ": requires " + key + ", which the source does not map");
                    }
                    continue;
                }
                required[slot] = true;
            }
        }

        /** A column the header must name; each column feeds one field. */
        private void column(Node n, String column) {
            if (column.isBlank()) {
                problems.add(n.where() + ": a column has a name");
            } else if (!columnKeys.add(column.trim().toLowerCase(Locale.ROOT))) {
                problems.add(n.where() + ": column '" + column + "' is named twice in the source");
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

    /** A YAML value with where it sits, for messages. */
    private record Node(String file, String path, Object value, List<String> problems) {

        String where() {
            return file + ": " + (path.isEmpty() ? "(top)" : path);
        }

        /** The mapping's entries; null (with a problem) when this is not a mapping or has unknown keys. */
        Map<String, Node> entries(Set<String> allowed) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(where() + ": a mapping (key: value) is expected");
                return null;
            }
            Map<String, Node> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String child = path.isEmpty() ? key : path + "." + key;
                if (allowed != null && !allowed.contains(key)) {
                    problems.add(file + ": " + child + ": unknown key (known: " + new TreeSet<>(allowed) + ")");
                    continue;
                }
                out.put(key, new Node(file, child, e.getValue(), problems));
            }
            return out;
        }

        String text() {
            if (value == null || value instanceof Map || value instanceof List) {
                problems.add(where() + ": a single value is expected");
                return "";
            }
            return String.valueOf(value);
        }

        List<String> texts() {
            if (value instanceof List<?> list) {
                List<String> out = new ArrayList<>();
                for (Object o : list) {
                    if (o == null || o instanceof Map || o instanceof List) {
                        problems.add(where() + ": a list of single values is expected");
                    } else {
                        out.add(String.valueOf(o));
                    }
                }
                return out;
            }
            return value == null ? List.of() : List.of(text());
        }

        /** The list's elements; a single value counts as a list of one. */
        List<Node> items() {
            if (value instanceof List<?> list) {
                List<Node> out = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    out.add(new Node(file, path + "[" + i + "]", list.get(i), problems));
                }
                return out;
            }
            return List.of(this);
        }

        /** An exact decimal number (a YAML float's shortest text); null, with a problem, otherwise. */
        BigDecimal decimal() {
            try {
                return new BigDecimal(text().trim());
            } catch (NumberFormatException e) {
                problems.add(where() + ": '" + value + "' is not a number");
                return null;
            }
        }

        double number() {
            try {
                double d = Double.parseDouble(text());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where() + ": '" + value + "' is not a number");
            return Double.NaN;
        }

        int integer(int min, int max) {
            String t = text();
            try {
                int i = Integer.parseInt(t);
                if (i >= min && i <= max) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where() + ": a whole number from " + min + " to " + max + ", not '" + t + "'");
            return min;
        }

        boolean bool() {
            if (value instanceof Boolean b) {
                return b;
            }
            problems.add(where() + ": true or false, not '" + value + "'");
            return false;
        }
    }
}
