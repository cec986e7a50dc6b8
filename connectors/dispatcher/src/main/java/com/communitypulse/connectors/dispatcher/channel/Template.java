package com.communitypulse.connectors.dispatcher.channel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message template with one piece of syntax, {@code {{field}}} (letters, digits, underscore), and
 * two line rules so that templates need no conditionals:
 * <ul>
 *   <li>a line whose placeholders all render empty is left out (e.g. {@code > Member: {{member}}} for
 *       an alert without a member); a line without placeholders is always kept;</li>
 *   <li>a value with several lines repeats the text in front of its placeholder on each of its lines,
 *       so {@code > {{details}}} quotes every detail line.</li>
 * </ul>
 * Trailing blank lines are dropped. A field outside the known set is an error at parse time
 * ({@link #parse(String, String, Set)}, i.e. at start-up), not an empty line in production.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final String source;
    private final List<String> lines;

    private Template(String source) {
        this.source = source;
        String s = source.replace("\r\n", "\n");
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        this.lines = List.of(s.split("\n", -1));
    }

    /**
     * @param origin names the template in errors (a file path or resource name)
     * @param known  the fields that may be used
     * @throws IllegalArgumentException naming the unknown field and the known ones
     */
    public static Template parse(String origin, String source, Set<String> known) {
        Template t = new Template(source);
        for (String f : t.fields()) {
            if (!known.contains(f)) {
                throw new IllegalArgumentException("template " + origin + " uses unknown field {{" + f + "}}: use one of " + known);
            }
        }
        return t;
    }

    /** The field names used, in order of first use. */
    public Set<String> fields() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(source);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    public String source() {
        return source;
    }

    /** Renders with values as given. */
    public String render(Map<String, String> values) {
        return render(values, UnaryOperator.identity(), Set.of());
    }

    /**
     * @param escape applied to each value (e.g. Slack's {@code &<>} entities), except to fields in {@code raw}
     * @param raw    fields whose values are markup already (mentions, links)
     */
    public String render(Map<String, String> values, UnaryOperator<String> escape, Set<String> raw) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PLACEHOLDER.matcher(line);
            boolean any = false;
            boolean allEmpty = true;
            StringBuilder sb = new StringBuilder();
            int last = 0;
            while (m.find()) {
                any = true;
                String prefix = sb.toString() + line.substring(last, m.start());
                String v = values.getOrDefault(m.group(1), "");
                v = v == null ? "" : v;
                if (!v.isEmpty()) {
                    allEmpty = false;
                }
                if (!raw.contains(m.group(1))) {
                    v = escape.apply(v);
                }
                sb.append(line, last, m.start());
                // Continue a multi-line value with the line's text in front of the placeholder.
                String lead = prefix.substring(prefix.lastIndexOf('\n') + 1);
                sb.append(v.replace("\n", "\n" + lead));
                last = m.end();
            }
            sb.append(line.substring(last));
            if (!any || !allEmpty) {
                out.add(sb.toString());
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out);
    }
}
