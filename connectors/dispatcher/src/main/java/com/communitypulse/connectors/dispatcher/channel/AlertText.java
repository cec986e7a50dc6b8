package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.communitypulse.connectors.dispatcher.config.Directory;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
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

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    public record Text(String title, List<String> lines) {
        public String plain() {
            return title + "\n" + String.join("\n", lines);
        }
    }

    /** How text is written: language, time zone, display names. */
    public record Style(Lang lang, ZoneId zone, Directory directory) {
        /** English, UTC, no directory: the machine-facing webhook text. */
        public static final Style PLAIN = new Style(Lang.EN, ZoneOffset.UTC, Directory.EMPTY);

        String time(long epochMillis) {
            return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone)) + " " + lang.zoneLabel(zone);
        }

        String clock(long epochMillis) {
            return CLOCK.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
        }

        String community(String id) {
            String n = directory.communityName(id);
            return n == null ? id : n;
        }

        String member(String communityId, String userId) {
            String n = directory.memberName(communityId, userId);
            return n == null ? userId : n;
        }
    }

    private AlertText() {}

    public static Text of(Message m, String channelName) {
        return of(m, channelName, Style.PLAIN);
    }

    public static Text of(Message m, String channelName, Style st) {
        return m.isDigest() ? digest(m.alerts(), channelName, st) : single(m.alerts().get(0), st);
    }

    /**
     * The values a channel template may use for one alert (see {@link #FIELDS}); {@code details} has one
     * evidence line per line, {@code link}, {@code mentions} and {@code keyword} are added by the channel.
     */
    public static Map<String, String> fields(Alert a, Style st) {
        Map<String, String> f = new LinkedHashMap<>();
        Lang l = st.lang();
        f.put("alert_id", a.alertId());
        f.put("community_id", a.communityId());
        f.put("user_id", a.userId() == null ? "" : a.userId());
        f.put("severity", l.severity(a.severity()));
        f.put("type", label(a.type(), l));
        f.put("state", l.state(a.state()));
        f.put("headline", label(a.type(), l) + (a.state() != null ? " " + l.state(a.state()) : ""));
        f.put("community", st.community(a.communityId()));
        f.put("member", a.userId() == null ? "" : st.member(a.communityId(), a.userId()));
        f.put("what", what(a, l));
        JsonNode e = a.evidence();
        f.put("why", e.hasNonNull("summary") && e.get("summary").isTextual() ? e.get("summary").asText() : "");
        f.put("details", String.join("\n", evidence(a, st, false)));
        f.put("time", a.eventTs() > 0 ? st.time(a.eventTs()) : "");
        return f;
    }

    /** Every field a template may use. */
    public static final java.util.Set<String> FIELDS = java.util.Set.of("alert_id", "community_id", "user_id", "severity", "type",
            "state", "headline", "community", "member", "what", "why", "details", "time", "link", "mentions", "keyword", "channel");

    static Text single(Alert a) {
        return single(a, Style.PLAIN);
    }

    static Text single(Alert a, Style st) {
        String title = a.severity().toUpperCase(Locale.ROOT) + " · " + label(a.type())
                + (a.state() != null ? " " + a.state().toUpperCase(Locale.ROOT) : "") + " · community " + a.communityId();
        List<String> lines = new ArrayList<>();
        lines.add("What: " + what(a, Lang.EN));
        if (a.userId() != null) {
            lines.add("Member: " + a.userId());
        }
        lines.addAll(evidence(a, st, true));
        if (a.eventTs() > 0) {
            lines.add("Event time: " + st.time(a.eventTs()));
        }
        lines.add("Alert id: " + a.alertId());
        return new Text(title, lines);
    }

    static Text digest(List<Alert> alerts, String channelName, Style st) {
        Lang l = st.lang();
        String title = l == Lang.ZH_CN
                ? "告警摘要 · 频道 " + channelName + " 限流期间合并的 " + alerts.size() + " 条告警"
                : "Digest · " + alerts.size() + " alert" + (alerts.size() == 1 ? "" : "s")
                        + " held back by the rate limit of channel " + channelName;
        List<String> lines = new ArrayList<>();
        lines.add(l.t("By type: ") + counts(alerts, a -> (l == Lang.EN ? a.type() : label(a.type(), l))
                + (a.state() != null ? " " + (l == Lang.EN ? a.state() : l.state(a.state())) : "")));
        lines.add(l.t("By community: ") + counts(alerts, a -> st.community(a.communityId())));
        lines.add(l.t("By severity: ") + counts(alerts, a -> l == Lang.EN ? a.severity() : l.severity(a.severity())));
        long from = alerts.stream().mapToLong(Alert::eventTs).min().orElse(0);
        long to = alerts.stream().mapToLong(Alert::eventTs).max().orElse(0);
        if (from > 0) {
            String t = st.time(from);
            lines.add(l.t("Event time: ") + t.substring(0, 16) + " – " + st.clock(to) + " " + l.zoneLabel(st.zone()));
        }
        alerts.stream().limit(DIGEST_LISTED).forEach(a -> lines.add("• " + oneLine(a, st)));
        if (alerts.size() > DIGEST_LISTED) {
            lines.add(l == Lang.ZH_CN
                    ? "… 另有 " + (alerts.size() - DIGEST_LISTED) + " 条（全部告警编号见 pulse.alerts 与 webhook 消息体）"
                    : "… and " + (alerts.size() - DIGEST_LISTED) + " more (all alert ids are on pulse.alerts and in the webhook payload)");
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

    static String oneLine(Alert a, Style st) {
        Lang l = st.lang();
        if (l == Lang.EN) {
            return "[" + a.severity() + "] " + a.type() + (a.state() != null ? " " + a.state() : "") + " · " + st.community(a.communityId())
                    + (a.userId() != null ? " · member " + st.member(a.communityId(), a.userId()) : "") + " · " + what(a, l);
        }
        return "【" + l.severity(a.severity()) + "】" + label(a.type(), l) + (a.state() != null ? " " + l.state(a.state()) : "")
                + " · " + st.community(a.communityId())
                + (a.userId() != null ? " · 成员 " + st.member(a.communityId(), a.userId()) : "") + " · " + what(a, l);
    }

    static String label(String type, Lang l) {
        return l == Lang.EN ? label(type) : l.t(type);
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

    static String what(Alert a, Lang l) {
        return l == Lang.ZH_CN ? whatZh(a) : what(a);
    }

    static String whatZh(Alert a) {
        JsonNode e = a.evidence();
        boolean resolved = "resolved".equals(a.state());
        return switch (a.type()) {
            case "MEMBER_AT_RISK" -> "一位高价值成员已沉默，有流失风险";
            case "MEMBER_CHURNED" -> "一位高价值成员已退出，或不活跃时间已足以计为流失";
            case "CHURN_SPIKE" -> resolved ? "流失激增已结束" : "近 24 小时的退群与流失人数高于本社群基线";
            case "NEGATIVE_MESSAGE" -> "digest".equals(e.path("kind").asText())
                    ? "另有 " + e.path("count").asInt() + " 条强烈负面消息，来自 " + e.path("distinct_authors").asInt()
                        + " 位成员（" + joinKeys(e.path("categories")) + "）"
                    : "一条强烈负面消息（" + joinValues(e.path("categories")) + "），得分 " + num(e.path("score"));
            case "NEGATIVE_SPIKE" -> resolved
                    ? "负面情绪激增已结束，持续 " + minutesZh(e.path("duration_ms").asLong()) + "，峰值 " + pct(e.path("peak_ratio"))
                    : "近 15 分钟已评分消息中 " + pct(e.path("ratio")) + " 为负面（" + e.path("scored").asInt() + " 条中 "
                        + e.path("negative").asInt() + " 条，来自 " + e.path("distinct_negative_authors").asInt() + " 位成员）"
                        + (e.path("baseline").has("mean") ? "，基线 " + pct(e.path("baseline").path("mean")) : "");
            default -> "类型为 " + a.type() + " 的告警";
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

    /** Evidence lines in the style's language; {@code withWhy} puts the job's summary first as "Why: …". */
    static List<String> evidence(Alert a, Style st, boolean withWhy) {
        JsonNode e = a.evidence();
        Lang l = st.lang();
        List<String> out = new ArrayList<>();
        // The job's own sentence of why it alerted (the clause that scored, the member's rhythm vs the
        // silence) comes first: it is what a moderator reads before deciding; the raw figures follow.
        if (withWhy && e.hasNonNull("summary") && e.get("summary").isTextual()) {
            out.add("Why: " + e.get("summary").asText());
        }
        if (e.hasNonNull("severity_reason") && e.get("severity_reason").isTextual()) {
            out.add(l.t("Severity: ") + e.get("severity_reason").asText());
        }
        if (a.type().equals("NEGATIVE_MESSAGE") && !"digest".equals(e.path("kind").asText())) {
            if (e.hasNonNull("excerpt")) {
                out.add(l.t("Excerpt: ") + e.get("excerpt").asText());
            }
            if (e.path("matched_terms").size() > 0) {
                out.add(l.t("Matched terms: ") + joinValues(e.get("matched_terms")));
            }
            if (e.hasNonNull("event_id")) {
                out.add(l.t("Message id: ") + e.get("event_id").asText());
            }
            return out;
        }
        if (e.has("top_terms") && e.get("top_terms").size() > 0) {
            out.add(l.t("Top terms: ") + stream(e.get("top_terms")).stream()
                    .map(t -> t.path("term").asText() + " (" + t.path("count").asInt() + ")").collect(Collectors.joining(", ")));
        }
        if (e.has("categories") && e.get("categories").isObject() && e.get("categories").size() > 0) {
            out.add(l.t("Categories: ") + fields(e.get("categories")).entrySet().stream()
                    .map(f -> f.getKey() + " " + f.getValue().asText()).collect(Collectors.joining(", ")));
        }
        if (e.has("window_start") && e.has("window_end")) {
            out.add(l.t("Window: ") + st.clock(e.get("window_start").asLong()) + "–"
                    + st.clock(e.get("window_end").asLong()) + " " + l.zoneLabel(st.zone()));
        }
        if (e.has("most_negative") && e.get("most_negative").size() > 0) {
            out.add(l.t("Most negative messages: ") + stream(e.get("most_negative")).stream().limit(3)
                    .map(m -> m.path("event_id").asText() + l.t(" by ") + st.member(a.communityId(), m.path("user_id").asText()) + " (" + num(m.path("score")) + ")")
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
            out.add(l.t("Evidence: ") + String.join(", ", scalars.subList(0, Math.min(14, scalars.size()))));
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

    private static String minutesZh(long ms) {
        return ms >= 3_600_000 ? String.format(Locale.ROOT, "%.1f 小时", ms / 3_600_000.0) : (ms / 60_000) + " 分钟";
    }

    private static String minutes(long ms) {
        return ms >= 3_600_000 ? String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0) : (ms / 60_000) + " min";
    }
}
