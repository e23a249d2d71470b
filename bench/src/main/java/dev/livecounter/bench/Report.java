package dev.livecounter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One scenario's results: notes (machine, load, settings), one table printed aligned and written as
 * {@code <name>.csv} and as a Markdown table in {@code <name>.md}, the PNG named beside it.
 */
final class Report {

    private final String name;
    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Report(String name, String title, String... columns) {
        this.name = name;
        this.title = title;
        this.columns = List.of(columns);
        notes.add(Machine.describe());
    }

    String name() {
        return name;
    }

    Report note(String format, Object... args) {
        notes.add(String.format(Locale.ROOT, format, args));
        return this;
    }

    Report row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell instanceof Double d ? fmt(d) : String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "-";
        }
        double abs = Math.abs(d);
        if (abs >= 100 || d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        return String.format(Locale.ROOT, abs >= 10 ? "%.1f" : "%.2f", d);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(title).append("\n\n");
        md.append("| ").append(String.join(" | ", columns)).append(" |\n");
        md.append("|").append(" --- |".repeat(columns.size())).append("\n");
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append("\n");
        for (String note : notes) {
            md.append("- ").append(note).append("\n");
        }
        md.append("\n![").append(title).append("](").append(name).append(".png)\n");
        return md.toString();
    }

    private String aligned() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("== ").append(title).append(" ==\n");
        appendAligned(out, columns, widths);
        for (List<String> row : rows) {
            appendAligned(out, row, widths);
        }
        for (String note : notes) {
            out.append("  ").append(note).append('\n');
        }
        return out.toString();
    }

    private static void appendAligned(StringBuilder out, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            out.append(c == 0 ? String.format("%-" + widths[c] + "s", cells.get(c)) : String.format("  %" + widths[c] + "s", cells.get(c)));
        }
        out.append('\n');
    }

    private String csv() {
        StringBuilder csv = new StringBuilder(String.join(",", columns.stream().map(Report::csvCell).toList())).append('\n');
        for (List<String> row : rows) {
            csv.append(String.join(",", row.stream().map(c -> csvCell(c.replace(",", ""))).toList())).append('\n');
        }
        return csv.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** Prints the table and writes {@code <name>.csv} and {@code <name>.md} into {@code out}. */
    void write(Path out) {
        System.out.println();
        System.out.print(aligned());
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".csv"), csv());
            Files.writeString(out.resolve(name + ".md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("  -> " + out.resolve(name + ".csv") + ", " + out.resolve(name + ".md") + ", " + out.resolve(name + ".png"));
    }

    /** Writes raw samples (one line per sample) as {@code <file>}. */
    static void samples(Path out, String file, String header, List<String> lines) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(file), header + "\n" + String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
