package dev.spillway.manager.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesEverythingJsonAndScriptsNeed() {
        String s = new JsonWriter().value("q\" b\\ n\n t\t c\u0001 </script> \u2028").toString();
        assertEquals("\"q\\\" b\\\\ n\\n t\\t c\\u0001 \\u003c/script\\u003e \\u2028\"", s);
    }

    @Test
    void nestsWithCommasAndWritesUnknownAsNull() {
        String s = new JsonWriter().beginArray()
                .beginObject().field("a", 1).field("b", Double.NaN).field("c", 0.25).field("d", true)
                .name("e").beginArray().value("x").value("y").endArray().endObject()
                .beginObject().endObject()
                .endArray().toString();
        assertEquals("[{\"a\":1,\"b\":null,\"c\":0.25,\"d\":true,\"e\":[\"x\",\"y\"]},{}]", s);
    }
}
