package dev.spillway.manager.web;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer. Hand-written rather than Jackson because the manager only ever writes a few
 * flat documents, and one small class with tested escaping is less to ship and audit than a library. Strings are
 * escaped per RFC 8259 (quote, backslash, control characters, and U+2028/2029 so the output is also safe inside
 * a script); NaN and infinities, which JSON cannot express, are written as {@code null} ("unknown").
 */
public final class JsonWriter {
    private final StringBuilder sb = new StringBuilder(256);
    // per open container: has it got an element yet?
    private final Deque<Boolean> hasElement = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject() {
        separate();
        sb.append('{');
        hasElement.push(false);
        return this;
    }

    public JsonWriter endObject() {
        hasElement.pop();
        sb.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        sb.append('[');
        hasElement.push(false);
        return this;
    }

    public JsonWriter endArray() {
        hasElement.pop();
        sb.append(']');
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        quote(name);
        sb.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            sb.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    public JsonWriter value(double d) {
        separate();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d);
        } else {
            sb.append(d);
        }
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        sb.append(n);
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        sb.append(b);
        return this;
    }

    public JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, double v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    public JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!hasElement.isEmpty()) {
            if (hasElement.peek()) {
                sb.append(',');
            } else {
                hasElement.pop();
                hasElement.push(true);
            }
        }
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<' || c == '>') {
                        // < and > too: a host id or reason can never close a <script> it is embedded in
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
