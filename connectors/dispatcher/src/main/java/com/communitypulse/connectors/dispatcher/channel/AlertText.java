package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The person-readable text of a message, independent of any chat tool's markup: a title and lines
 * of plain text. It names the type, community, member, what happened, the evidence numbers and, for
 * spikes, firing vs resolved, so that a moderator can act without opening another tool.
 */
public final class AlertText {

    /** Alert one-liners listed in a digest before "… and N more". */
    static final int DIGEST_LISTED = 10;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    public record Text(String title, List<String> lines) {
        public String plain() {
            return title + "\n" + String.join("\n", lines);
        }
    }

    private AlertText() {}

    public static Text of(Message m, String channelName) {
        return m.isDigest() ? digest(m.alerts(), channelName) : single(m.alerts().get(0));
    }

    static Text single(Alert a) {
        String title = a.severity().toUpperCase(Locale.ROOT) + " · " + label(a.type())
                + (a.state() != null ? " " + a.state().toUpperCase(Locale.ROOT) : "") + " · community " + a.communityId();
        List<String> lines = new ArrayList<>();
        lines.add("What: " + what(a));
        if (a.userId() != null) {
            lines.add("Member: " + a.userId());
        }
        lines.addAll(evidence(a));
        if (a.eventTs() > 0) {
            lines.add("Event time: " + TIME.format(Instant.ofEpochMilli(a.eventTs())));
        }
        lines.add("Alert id: " + a.alertId());
        return new Text(title, lines);
    }

    static Text digest(List<Alert> alerts, String channelName) {
        String title = "Digest · " + alerts.size() + " alert" + (alerts.size() == 1 ? "" : "s")
                + " held back by the rate limit of channel " + channelName;
        List<String> lines = new ArrayList<>();
        lines.add("By type: " + counts(alerts, a -> a.type() + (a.state() != null ? " " + a.state() : "")));
        lines.add("By community: " + counts(alerts, Alert::communityId));
        lines.add("By severity: " + counts(alerts, Alert::severity));
        long from = alerts.stream().mapToLong(Alert::eventTs).min().orElse(0);
        long to = alerts.stream().mapToLong(Alert::eventTs).max().orElse(0);
        if (from > 0) {
            lines.add("Event time: " + TIME.format(Instant.ofEpochMilli(from)) + " – " + CLOCK.format(Instant.ofEpochMilli(to)) + " UTC");
        }
        alerts.stream().limit(DIGEST_LISTED).forEach(a -> lines.add("• " + oneLine(a)));
        if (alerts.size() > DIGEST_LISTED) {
            lines.add("… and " + (alerts.size() - DIGEST_LISTED) + " more (all alert ids are on pulse.alerts and in the webhook payload)");
        }
        return new Text(title, lines);
    }

    /** Keeps the title and as many leading lines as fit in {@code maxChars} of rendered text. */
    public static Text fit(Text t, int maxChars, Function<Text, String> render) {
        List<String> lines = new ArrayList<>(t.lines());
        Text cur = t;
        while (render.apply(cur).length() > maxChars && lines.size() > 1) {
            lines.remove(lines.size() - 1);
            cur = new Text(t.title(), lines);
        }
        return cur;
    }

    static String oneLine(Alert a) {
        return "[" + a.severity() + "] " + a.type() + (a.state() != null ? " " + a.state() : "") + " · " + a.communityId()
                + (a.userId() != null ? " · member " + a.userId() : "") + " · " + what(a);
    }

    static String label(String type) {
        return switch (type) {
            case "MEMBER_AT_RISK" -> "Member at risk";
            case "MEMBER_CHURNED" -> "Member churned";
            case "CHURN_SPIKE" -> "Churn spike";
            case "NEGATIVE_MESSAGE" -> "Negative message";
            case "NEGATIVE_SPIKE" -> "Negative-sentiment spike";
            default -> type;
        };
    }

    static String what(Alert a) {
        JsonNode e = a.evidence();
        boolean resolved = "resolved".equals(a.state());
        return switch (a.type()) {
            case "MEMBER_AT_RISK" -> "a valuable member has gone quiet and is at risk of churning";
            case "MEMBER_CHURNED" -> "a valuable member left or has been inactive long enough to count as churned";
            case "CHURN_SPIKE" -> resolved ? "the churn spike is over" : "leaves + churned members in the trailing 24 h are above this community's baseline";
            case "NEGATIVE_MESSAGE" -> "digest".equals(e.path("kind").asText())
                    ? e.path("count").asInt() + " more strongly negative messages from " + e.path("distinct_authors").asInt()
                        + " members (" + joinKeys(e.path("categories")) + ")"
                    : "a strongly negative message (" + joinValues(e.path("categories")) + "), score " + num(e.path("score"));
            case "NEGATIVE_SPIKE" -> resolved
                    ? "the negative-sentiment spike is over after " + minutes(e.path("duration_ms").asLong()) + ", peak " + pct(e.path("peak_ratio"))
                    : pct(e.path("ratio")) + " of scored messages in the trailing 15 min are negative ("
                        + e.path("negative").asInt() + " of " + e.path("scored").asInt() + ", from "
                        + e.path("distinct_negative_authors").asInt() + " authors)"
                        + (e.path("baseline").has("mean") ? ", baseline " + pct(e.path("baseline").path("mean")) : "");
            default -> "alert of type " + a.type();
        };
    }

    static List<String> evidence(Alert a) {
        JsonNode e = a.evidence();
        List<String> out = new ArrayList<>();
        // The job's own sentence of why it alerted (the clause that scored, the member's rhythm vs the
        // silence) comes first: it is what a moderator reads before deciding; the raw figures follow.
        if (e.hasNonNull("summary") && e.get("summary").isTextual()) {
            out.add("Why: " + e.get("summary").asText());
        }
        if (e.hasNonNull("severity_reason") && e.get("severity_reason").isTextual()) {
            out.add("Severity: " + e.get("severity_reason").asText());
        }
        if (a.type().equals("NEGATIVE_MESSAGE") && !"digest".equals(e.path("kind").asText())) {
            if (e.hasNonNull("excerpt")) {
                out.add("Excerpt: " + e.get("excerpt").asText());
            }
            if (e.path("matched_terms").size() > 0) {
                out.add("Matched terms: " + joinValues(e.get("matched_terms")));
            }
            if (e.hasNonNull("event_id")) {
                out.add("Message id: " + e.get("event_id").asText());
            }
            return out;
        }
        if (e.has("top_terms") && e.get("top_terms").size() > 0) {
            out.add("Top terms: " + stream(e.get("top_terms")).stream()
                    .map(t -> t.path("term").asText() + " (" + t.path("count").asInt() + ")").collect(Collectors.joining(", ")));
        }
        if (e.has("categories") && e.get("categories").isObject() && e.get("categories").size() > 0) {
            out.add("Categories: " + fields(e.get("categories")).entrySet().stream()
                    .map(f -> f.getKey() + " " + f.getValue().asText()).collect(Collectors.joining(", ")));
        }
        if (e.has("window_start") && e.has("window_end")) {
            out.add("Window: " + CLOCK.format(Instant.ofEpochMilli(e.get("window_start").asLong())) + "–"
                    + CLOCK.format(Instant.ofEpochMilli(e.get("window_end").asLong())) + " UTC");
        }
        if (e.has("most_negative") && e.get("most_negative").size() > 0) {
            out.add("Most negative messages: " + stream(e.get("most_negative")).stream().limit(3)
                    .map(m -> m.path("event_id").asText() + " by " + m.path("user_id").asText() + " (" + num(m.path("score")) + ")")
                    .collect(Collectors.joining(", ")));
        }
        // Other scalar evidence (e.g. churn counts and baselines) is listed as-is so nothing is hidden.
        List<String> scalars = new ArrayList<>();
        fields(e).forEach((k, v) -> {
            if (v.isValueNode() && !k.equals("kind") && !k.equals("excerpt") && !k.equals("summary") && !k.equals("severity_reason")) {
                scalars.add(k + "=" + (v.isNumber() ? num(v) : v.asText()));
            } else if (v.isObject() && k.equals("baseline")) {
                fields(v).forEach((bk, bv) -> scalars.add("baseline." + bk + "=" + (bv.isNumber() ? num(bv) : bv.asText())));
            }
        });
        if (!scalars.isEmpty()) {
            out.add("Evidence: " + String.join(", ", scalars.subList(0, Math.min(14, scalars.size()))));
        }
        return out;
    }

    private static String counts(List<Alert> alerts, Function<Alert, String> key) {
        Map<String, Long> c = alerts.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        return c.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                .map(x -> x.getKey() + " " + x.getValue()).collect(Collectors.joining(", "))
                + (c.size() > 8 ? ", +" + (c.size() - 8) + " more" : "");
    }

    private static Map<String, JsonNode> fields(JsonNode n) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static List<JsonNode> stream(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    private static String joinValues(JsonNode array) {
        return stream(array).stream().map(JsonNode::asText).collect(Collectors.joining(", "));
    }

    private static String joinKeys(JsonNode object) {
        return String.join(", ", fields(object).keySet());
    }

    private static String num(JsonNode v) {
        double d = v.asDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String pct(JsonNode v) {
        return String.format(Locale.ROOT, "%.0f%%", v.asDouble() * 100);
    }

    private static String minutes(long ms) {
        return ms >= 3_600_000 ? String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0) : (ms / 60_000) + " min";
    }
}
