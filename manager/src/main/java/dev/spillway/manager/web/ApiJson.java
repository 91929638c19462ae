package dev.spillway.manager.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes the API's documents (records) as JSON with Jackson, with two rules of the API:
 * <ul>
 *   <li>a figure that is unknown (NaN) or infinite is written as {@code null}, which JSON can express, and a whole
 *       number without a fraction ({@code 300}, not {@code 300.0}), as the API always wrote them;</li>
 *   <li>{@code < > &} and U+2028/2029 are written as {@code \}u escapes, so a host id or reason can never close a
 *       {@code <script>} or break a script the JSON is embedded in.</li>
 * </ul>
 */
final class ApiJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule("spillway-api")
            .addSerializer(Double.class, new Figure())
            .addSerializer(Double.TYPE, new Figure())
            .addSerializer(double[].class, new Figures()));

    static {
        MAPPER.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    }

    private ApiJson() {
    }

    static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an API document could not be written: " + document, e);
        }
    }

    private static void writeFigure(double d, JsonGenerator gen) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            gen.writeNull();
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            gen.writeNumber((long) d);
        } else {
            gen.writeNumber(d);
        }
    }

    private static final class Figure extends StdSerializer<Double> {
        Figure() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writeFigure(value, gen);
        }
    }

    private static final class Figures extends StdSerializer<double[]> {
        Figures() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(values, values.length);
            for (double d : values) {
                writeFigure(d, gen);
            }
            gen.writeEndArray();
        }
    }

    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private static final SerializedString LS = new SerializedString("\\u2028");
        private static final SerializedString PS = new SerializedString("\\u2029");
        private final int[] ascii = standardAsciiEscapesForJSON();

        ScriptSafeEscapes() {
            ascii['<'] = ESCAPE_STANDARD;
            ascii['>'] = ESCAPE_STANDARD;
            ascii['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '\u2028' ? LS : ch == '\u2029' ? PS : null;
        }
    }
}
