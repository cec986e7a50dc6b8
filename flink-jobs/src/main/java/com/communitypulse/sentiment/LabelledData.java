package com.communitypulse.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads binary-labelled text for {@code eval} and {@code train}. Two layouts, told apart by the first
 * line:
 *
 * <ul>
 *   <li>CSV with a header naming a {@code label} column and a {@code review} or {@code text} column
 *       (RFC 4180 quoting, quoted fields may span lines), e.g. {@code waimai_10k.csv};
 *   <li>{@code text<TAB>label} lines without header, e.g. {@code yelp_labelled.txt}.
 * </ul>
 *
 * Labels: {@code 1}/{@code positive}/{@code pos} and {@code 0}/{@code negative}/{@code neg}.
 */
final class LabelledData {

    /** One labelled message. */
    static final class Example {
        final String text;
        final boolean positive;
        /** Neither: trained towards p = 0.5 (only the project's own generated chat has these). */
        final boolean neutral;

        Example(String text, boolean positive) {
            this(text, positive, false);
        }

        Example(String text, boolean positive, boolean neutral) {
            this.text = text;
            this.positive = positive;
            this.neutral = neutral;
        }
    }

    private LabelledData() {}

    /**
     * @throws IllegalArgumentException with the file and line for unreadable or malformed input
     */
    static List<Example> read(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("data file " + file + " does not exist; pass an existing file to --data");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read data file " + file + ": " + e.getMessage());
        }
        if (!content.isEmpty() && content.charAt(0) == '\uFEFF') {
            content = content.substring(1);
        }
        if (file.getFileName().toString().endsWith(".jsonl")) {
            return readChat(file, content);
        }
        int firstEol = content.indexOf('\n');
        String first = firstEol < 0 ? content : content.substring(0, firstEol);
        List<Example> out = first.contains("\t") ? readTsv(file, content) : readCsv(file, content);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("data file " + file + " has no labelled rows; expected 'label,review' CSV or 'text<TAB>label' lines");
        }
        return out;
    }

    /**
     * Chat sets in the format of {@code src/test/resources/dev-chat/README.md}: one JSON object per line
     * with {@code text} and {@code label} {@code actionable} or {@code not}; "positive" here means
     * actionable (the actionable model's target).
     */
    private static List<Example> readChat(Path file, String content) {
        ObjectMapper om = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        String[] lines = content.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            JsonNode j;
            try {
                j = om.readTree(lines[i]);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + " is not one JSON object per line; fix that line");
            }
            String label = j.path("label").asText();
            if (!label.equals("actionable") && !label.equals("not")) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + " has label '" + label + "'; use 'actionable' or 'not'");
            }
            String text = j.path("text").asText("");
            if (text.isBlank()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + " has no text; every line needs a non-empty 'text'");
            }
            out.add(new Example(text, label.equals("actionable")));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("data file " + file + " has no labelled rows; expected JSON lines with 'text' and 'label'");
        }
        return out;
    }

    private static List<Example> readTsv(Path file, String content) {
        List<Example> out = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader br = new BufferedReader(new java.io.StringReader(content))) {
            String line;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.lastIndexOf('\t');
                if (tab < 0) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": expected 'text<TAB>label'");
                }
                Boolean label = parseLabel(line.substring(tab + 1));
                if (label == null) {
                    if (lineNo == 1) {
                        continue; // header
                    }
                    throw badLabel(file, lineNo, line.substring(tab + 1));
                }
                out.add(new Example(line.substring(0, tab), label));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringReader does not fail
        }
        return out;
    }

    private static List<Example> readCsv(Path file, String content) {
        List<List<String>> rows = parseCsv(content);
        List<Example> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        List<String> header = rows.get(0);
        int labelCol = -1;
        int textCol = -1;
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (h.equals("label") || h.equals("sentiment")) {
                labelCol = i;
            } else if (h.equals("review") || h.equals("text") || h.equals("content") || h.equals("message")) {
                textCol = i;
            }
        }
        int start = 1;
        if (labelCol < 0 || textCol < 0) {
            if (header.size() >= 2 && parseLabel(header.get(0)) != null) {
                labelCol = 0; // no header: label,text
                textCol = 1;
                start = 0;
            } else {
                throw new IllegalArgumentException(file + ": CSV header must name a 'label' and a 'review' (or 'text') column");
            }
        }
        for (int r = start; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() <= Math.max(labelCol, textCol)) {
                throw new IllegalArgumentException(file + " row " + (r + 1) + ": expected " + header.size() + " fields, got " + row.size());
            }
            Boolean label = parseLabel(row.get(labelCol));
            if (label == null) {
                throw badLabel(file, r + 1, row.get(labelCol));
            }
            out.add(new Example(row.get(textCol), label));
        }
        return out;
    }

    /** RFC 4180: fields in double quotes may hold commas, newlines and doubled quotes. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
            i++;
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    static Boolean parseLabel(String raw) {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "positive":
            case "pos":
                return Boolean.TRUE;
            case "0":
            case "negative":
            case "neg":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    private static IllegalArgumentException badLabel(Path file, int line, String label) {
        return new IllegalArgumentException(file + " line " + line + ": label '" + label.trim()
                + "' is not 1/0 or positive/negative");
    }
}
