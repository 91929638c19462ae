package dev.spillway.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A table of figures printed as aligned plain text, as Markdown, or as CSV. Cells are strings; a cell that reads as a
 * number (optionally with a unit suffix such as {@code ms}, {@code %} or {@code x}) is right-aligned in text, others
 * left-aligned.
 *
 * <pre>
 * Table t = new Table("row", "p99 ms").row("a", Table.num(12.5)).row("b", "-");
 * System.out.print(t.toText());
 * </pre>
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.of(headers);
    }

    /** Adds a row of exactly as many cells as there are headers ({@code String.valueOf} of each, null as "-"). */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + headers.size()
                    + " columns: " + Arrays.toString(cells));
        }
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? "-" : String.valueOf(c));
        }
        rows.add(List.copyOf(r));
        return this;
    }

    public List<String> headers() {
        return headers;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    /** Aligned columns separated by two spaces, a dashed line under the header; every line ends with a newline. */
    public String toText() {
        int[] w = widths();
        StringBuilder sb = new StringBuilder();
        line(sb, headers, w, true);
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, w, false);
        }
        return sb.toString();
    }

    /** A GitHub-flavoured Markdown table; '|' in cells is escaped. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        md(sb, headers);
        sb.append('|');
        for (int i = 0; i < headers.size(); i++) {
            sb.append("---|");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            md(sb, r);
        }
        return sb.toString();
    }

    /** RFC 4180 CSV: header line, then one line per row; cells with comma, quote or newline are quoted. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        csv(sb, headers);
        for (List<String> r : rows) {
            csv(sb, r);
        }
        return sb.toString();
    }

    /** A figure for a cell: "-" for NaN, no decimals from 100 on, one below 100, two below 1. */
    public static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.1f" : "%.2f", v);
    }

    private int[] widths() {
        int[] w = new int[headers.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = headers.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        return w;
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, boolean header) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            l.append(i == 0 ? "" : "  ").append(!header && numeric(c) ? pad + c : c + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    static boolean numeric(String c) {
        return c.matches("[-+]?[0-9][0-9.,]*\\s*(ms|s|%|x|×|/s)?") || c.equals("-");
    }

    private static void md(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        sb.append('\n');
    }

    private static void csv(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                c = '"' + c.replace("\"", "\"\"") + '"';
            }
            sb.append(i == 0 ? "" : ",").append(c);
        }
        sb.append('\n');
    }
}
