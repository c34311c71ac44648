package dev.strata.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;

/**
 * The one JSON mapper of the command line. A file name's byte that is not UTF-8 is held as the lone
 * surrogate U+DC80 + byte (core.name.NameBytes); in JSON it is written as that escape
 * ({@code "caf\\udce9"}), which Python reads back with {@code os.fsencode} as the very bytes.
 */
final class Json {
    static final ObjectMapper MAPPER = mapper();

    private Json() {
    }

    /** One line of JSON output. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setCharacterEscapes(new NameEscapes());
        return m;
    }

    /**
     * JSON's own escapes, plus every surrogate as {@code \\uXXXX}: Jackson hands this class one char
     * at a time, so a pair cannot be told from an escaped byte here; a pair written as two escapes is
     * the same JSON text, and an escaped byte becomes {@code \\udce9} instead of an unencodable
     * lone surrogate.
     */
    private static final class NameEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch >= 0xD800 && ch <= 0xDFFF ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
