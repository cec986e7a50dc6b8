package com.communitypulse.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL handling for the tests: Grafana variable substitution and splitting an
 * alerting expression at its top-level binary operators, so that a condition that is normally
 * false can still be checked for data operand by operand.
 */
final class PromQl {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern MODIFIER = Pattern.compile("^(bool\\s+)?((on|ignoring)\\s*\\([^)]*\\)\\s*)?((group_left|group_right)\\s*(\\([^)]*\\))?\\s*)?");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(:\\w+)?}|\\$(\\w+)");

    private PromQl() {}

    /** Replaces {@code $name} / {@code ${name}} / {@code ${name:fmt}}; an unknown variable is an error. */
    static String substitute(String expr, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String v = vars.get(name);
            if (v == null) {
                throw new IllegalArgumentException("unknown Grafana variable $" + name + " in: " + expr);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * The operands of the top-level binary comparison and set operators ({@code > < >= <= == !=
     * and or unless}), recursively, without numeric literals. An expression without such operators
     * is its own single operand.
     */
    static List<String> operands(String expr) {
        List<String> out = new ArrayList<>();
        split(expr.trim(), out);
        return out;
    }

    private static void split(String e, List<String> out) {
        e = stripOuterParens(e.trim());
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') { quote = c; continue; }
            if (c == '(' || c == '[' || c == '{') { depth++; continue; }
            if (c == ')' || c == ']' || c == '}') { depth--; continue; }
            if (depth != 0) continue;
            int len = operatorAt(e, i);
            if (len > 0) {
                split(e.substring(0, i), out);
                String right = e.substring(i + len).trim();
                Matcher m = MODIFIER.matcher(right);
                if (m.find()) right = right.substring(m.end());
                split(right, out);
                return;
            }
        }
        if (!e.isEmpty() && !NUMBER.matcher(e).matches()) {
            out.add(e);
        }
    }

    private static int operatorAt(String e, int i) {
        for (String op : new String[] {">=", "<=", "==", "!=", ">", "<"}) {
            if (e.startsWith(op, i)) {
                // "=~" / "!~" only occur inside {} (depth > 0), so "!=" and "==" here are comparisons.
                return op.length();
            }
        }
        for (String kw : new String[] {"and", "or", "unless"}) {
            if (e.startsWith(kw, i) && i > 0 && Character.isWhitespace(e.charAt(i - 1))
                    && i + kw.length() < e.length() && Character.isWhitespace(e.charAt(i + kw.length()))) {
                return kw.length();
            }
        }
        return 0;
    }

    private static String stripOuterParens(String e) {
        while (e.startsWith("(") && e.endsWith(")") && matchingParen(e) == e.length() - 1) {
            e = e.substring(1, e.length() - 1).trim();
        }
        return e;
    }

    private static int matchingParen(String e) {
        int depth = 0;
        for (int i = 0; i < e.length(); i++) {
            if (e.charAt(i) == '(') depth++;
            else if (e.charAt(i) == ')' && --depth == 0) return i;
        }
        return -1;
    }
}
