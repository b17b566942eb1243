package io.sensorpipe.sources;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A sources file as written, bound to records by Jackson: a key no record has is refused by the
 * binding, as is a value of the wrong shape, each named with its file and path (for example
 * {@code sources.x.dialect.delimitter: unknown key (known: [charset, …])}), and the binding goes on, so
 * that every problem is listed at once. {@link SourceCatalog} then checks what needs thought.
 */
final class SourcesYaml {

    /** The top of a sources file. */
    @RegisterForReflection
    record File(Map<String, Object> sources, Map<String, QuantityDeclaration> quantities,
            List<ConversionDeclaration> conversions) {
    }

    /** A source: its columns, how to read them, what they mean. */
    @RegisterForReflection
    record SourceEntry(String version, @JsonProperty("file-name") String fileName, DialectEntry dialect,
            @JsonProperty("ignore-columns") List<String> ignoreColumns, Map<String, Object> fields,
            Map<String, Object> quantities, List<String> missing, List<String> required) {
    }

    /** How a source's text is written. */
    @RegisterForReflection
    record DialectEntry(String delimiter, String quote, @JsonProperty("decimal-separator") String decimalSeparator,
            String charset, @JsonProperty("skip-lines") Integer skipLines,
            @JsonProperty("skip-empty-rows") Boolean skipEmptyRows) {
    }

    /** Where a field's value comes from: one of the three. */
    @RegisterForReflection
    record FieldEntry(String column, String constant, @JsonProperty("file-name-group") String fileNameGroup) {
    }

    /** Where a reading's time comes from: one column with formats, or a date and a time column. */
    @RegisterForReflection
    record TimestampEntry(String column, List<String> formats, @JsonProperty("date-column") String dateColumn,
            @JsonProperty("date-format") String dateFormat, @JsonProperty("time-column") String timeColumn,
            @JsonProperty("time-format") String timeFormat, String zone,
            @JsonProperty("standard-time") Boolean standardTime) {
    }

    /** A quantity a source stores: its column, the unit it arrives in, its sentinels and range. */
    @RegisterForReflection
    record QuantityEntry(String column, String unit, List<String> missing, RangeEntry range) {
    }

    /** A plausible range in a unit. */
    @RegisterForReflection
    record RangeEntry(Double min, Double max, String unit) {
    }

    /**
     * A quantity: the unit it is stored in, its plausible range, the decimals it keeps and the column of
     * {@code reading} it has, if any.
     */
    @RegisterForReflection
    record QuantityDeclaration(String unit, Double min, Double max, Integer decimals,
            @JsonProperty("reading-column") String readingColumn) {
    }

    /** A unit conversion beyond the built-in table: {@code stored = value * factor + offset}. */
    @RegisterForReflection
    record ConversionDeclaration(String from, String to, BigDecimal factor, BigDecimal offset) {
    }

    private static final String WHERE = "sensorpipe.where";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .addHandler(new Problems());

    private SourcesYaml() {
    }

    /**
     * Binds a YAML value (as SnakeYAML parsed it) to {@code type}; each problem is added to
     * {@code problems} as {@code <file>: <path>: …}, and a value that could not be bound is left null.
     * Null when nothing could be bound.
     */
    static <T> T bind(Object value, Class<T> type, String file, String path, List<String> problems) {
        if (value == null) {
            problems.add(file + ": " + (path.isEmpty() ? "(top)" : path) + ": a mapping (key: value) is expected");
            return null;
        }
        try {
            return MAPPER.readerFor(type).withAttribute(WHERE, new Where(file, path, problems))
                    .readValue((JsonNode) MAPPER.valueToTree(value));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(file + ": " + (path.isEmpty() ? "(top)" : path) + ": " + firstLine(e.getMessage()));
            return null;
        }
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    private record Where(String file, String root, List<String> problems) {

        void add(JsonParser p, String child, String problem) {
            add(p.getParsingContext(), child, problem);
        }

        void add(JsonStreamContext context, String child, String problem) {
            String path = path(context, child);
            problems.add(file + ": " + (path.isEmpty() ? "(top)" : path) + ": " + problem);
        }

        /** The path of the value being bound, in the messages' notation ({@code a.b[2].c}). */
        private String path(JsonStreamContext context, String child) {
            List<String> parts = new ArrayList<>();
            for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inArray()) {
                    if (c.getCurrentIndex() >= 0) { // an array just opened has no element yet
                        parts.add(0, "[" + c.getCurrentIndex() + "]");
                    }
                } else if (c.getCurrentName() != null) {
                    parts.add(0, "." + c.getCurrentName());
                }
            }
            StringBuilder path = new StringBuilder(root);
            parts.forEach(path::append);
            if (child != null) {
                path.append('.').append(child);
            }
            String text = path.toString();
            return text.startsWith(".") ? text.substring(1) : text;
        }
    }

    /** Refuses, and records, what the records do not have; binding goes on past it. */
    private static final class Problems extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            where(ctxt).add(p, null, "unknown key (known: " + new TreeSet<>(deserializer.getKnownPropertyNames()) + ")");
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                String failureMsg) throws IOException {
            where(ctxt).add(ctxt.getParser(), null, expected(targetType) + ", not '" + valueToConvert + "'");
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                String failureMsg) throws IOException {
            where(ctxt).add(ctxt.getParser(), null, expected(targetType) + ", not '" + valueToConvert + "'");
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t,
                JsonParser p, String failureMsg) throws IOException {
            Class<?> type = targetType.getRawClass();
            boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
            boolean scalar = !(Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type) || type.isRecord());
            // A list where one value belongs: the problem is the list's, not its first element's.
            JsonStreamContext at = t == JsonToken.START_ARRAY && p.getParsingContext().inArray()
                    ? p.getParsingContext().getParent() : p.getParsingContext();
            where(ctxt).add(at, null, !scalar ? expected(type) : container ? "a single value is expected"
                    : expected(type) + ", not '" + p.getText() + "'");
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                ValueInstantiator valueInsts, JsonParser p, String msg)
                throws IOException {
            where(ctxt).add(p, null, expected(instClass) + ", not '" + p.getText() + "'");
            p.skipChildren();
            return null;
        }

        private static Where where(DeserializationContext ctxt) {
            return (Where) ctxt.getAttribute(WHERE);
        }

        private static String expected(Class<?> type) {
            if (type == Integer.class || type == int.class) {
                return "a whole number";
            }
            if (type == Double.class || type == BigDecimal.class) {
                return "a number";
            }
            if (type == Boolean.class) {
                return "true or false";
            }
            if (Map.class.isAssignableFrom(type) || type.isRecord()) {
                return "a mapping (key: value) is expected";
            }
            if (List.class.isAssignableFrom(type)) {
                return "a list of single values is expected";
            }
            return "a single value is expected";
        }
    }
}
