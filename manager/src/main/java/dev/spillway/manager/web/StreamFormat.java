package dev.spillway.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.nio.charset.StandardCharsets;

/**
 * How {@code /api/stream} writes one event: JSON (the API's own writer, {@link ApiJson}) by default, XML when the
 * client asks for it. Either way the document is one server-sent event; a line break inside it (XML keeps them in
 * text) becomes a further {@code data:} line, which the event-stream format joins back with a line break.
 */
enum StreamFormat {
    JSON {
        @Override
        byte[] document(String name, Object body) {
            return ApiJson.write(body);
        }
    },
    XML {
        @Override
        byte[] document(String name, Object body) {
            try {
                return XML_MAPPER.writer().withRootName(name).writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stream event could not be written as XML: " + body, e);
            }
        }
    };

    private static final XmlMapper XML_MAPPER = new XmlMapper();

    /** The body alone, in this format; {@code name} is the XML root element. */
    abstract byte[] document(String name, Object body);

    /**
     * From {@code ?format=} (wins) or the {@code Accept} header: XML only when asked for by name, JSON otherwise.
     *
     * @throws IllegalArgumentException naming the value and the expected ones, for an unknown {@code format}
     */
    static StreamFormat choose(String formatParameter, String accept) {
        if (formatParameter != null) {
            return switch (formatParameter) {
                case "json" -> JSON;
                case "xml" -> XML;
                default -> throw new IllegalArgumentException("format=" + formatParameter
                        + ": expected json or xml");
            };
        }
        return accept != null && (accept.contains("application/xml") || accept.contains("text/xml")) ? XML : JSON;
    }

    String contentTypeOfData() {
        return this == XML ? "application/xml" : "application/json";
    }

    /** One server-sent event: {@code event:}, {@code id:} (the cycle) and the document as {@code data:} lines. */
    byte[] event(String name, long cycle, Object body) {
        String text = new String(document(name, body), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length() + 48);
        out.append("event: ").append(name).append('\n').append("id: ").append(cycle).append('\n');
        for (String line : text.split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
