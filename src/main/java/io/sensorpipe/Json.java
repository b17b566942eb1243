package io.sensorpipe;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON mapper of the pipeline's own messages and reports: ISO-8601 timestamps, no nulls
 * dropped, and U+2028 and U+2029 written escaped, as JSON allows them raw but JavaScript and readers
 * that split lines on them do not (each line of {@code errors.jsonl} stays one line for them too).
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static {
        MAPPER.getFactory().setCharacterEscapes(new LineSeparatorsEscaped());
    }

    private Json() {
    }

    /** JSON's standard escapes, plus the two Unicode line separators. */
    private static final class LineSeparatorsEscaped extends CharacterEscapes {
        private static final SerializedString LS = new SerializedString("\\u2028");
        private static final SerializedString PS = new SerializedString("\\u2029");
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 ? LS : ch == 0x2029 ? PS : null;
        }
    }
}
