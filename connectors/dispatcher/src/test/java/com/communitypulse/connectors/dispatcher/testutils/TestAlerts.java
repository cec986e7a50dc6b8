package com.communitypulse.connectors.dispatcher.testutils;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** {@code pulse.alerts} records shaped like the job's {@code AlertJson} output, at named instants. */
public final class TestAlerts {

    public static final Instant BEGINNING = Instant.parse("2024-05-01T10:00:00Z");
    public static final Instant ONE_MINUTE_LATER = BEGINNING.plus(Duration.ofMinutes(1));
    public static final Instant FIFTEEN_MINUTES_LATER = BEGINNING.plus(Duration.ofMinutes(15));

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestAlerts() {}

    /** A deterministic 32-hex alert id for test alert number {@code n} of a scenario. */
    public static String alertId(String scenario, int n) {
        return String.format("%08x%024x", scenario.hashCode(), n);
    }

    public static ObjectNode negativeMessage(String alertId, String community, String user, Instant ts) {
        ObjectNode a = base(alertId, "NEGATIVE_MESSAGE", "warning", community, ts);
        a.put("user_id", user);
        ObjectNode e = a.putObject("evidence");
        e.put("kind", "message");
        e.put("event_id", "m-" + alertId.substring(0, 8));
        e.put("score", -0.82);
        e.putArray("categories").add("refund").add("quality");
        e.putArray("matched_terms").add("退货").add("terrible");
        e.put("excerpt", "**** 退货 **** terrible");
        e.put("max_score", -0.6);
        e.put("rate_limit_ms", 600000);
        return a;
    }

    public static ObjectNode negativeSpike(String alertId, String community, String state, Instant ts) {
        ObjectNode a = base(alertId, "NEGATIVE_SPIKE", "critical", community, ts);
        a.put("state", state);
        ObjectNode e = a.putObject("evidence");
        e.put("window_start", ts.minus(Duration.ofMinutes(15)).toEpochMilli());
        e.put("window_end", ts.toEpochMilli());
        e.put("ratio", 0.42);
        e.put("scored", 120);
        e.put("negative", 51);
        e.put("distinct_negative_authors", 23);
        e.putObject("categories").put("refund", 30).put("delivery", 12);
        e.putArray("top_terms").addObject().put("term", "退款").put("count", 17);
        e.putArray("most_negative").addObject().put("event_id", "m1").put("user_id", "u9").put("ts", ts.toEpochMilli()).put("score", -0.97);
        if (state.equals("firing")) {
            e.put("entry_level", 0.3);
            e.put("global_threshold", 0.3);
            e.putObject("baseline").put("mature", true).put("samples", 96).put("mean", 0.08).put("stddev", 0.03);
            e.put("min_messages", 20);
            e.put("min_authors", 5);
        } else {
            e.put("firing_alert_id", alertId);
            e.put("episode_start", ts.minus(Duration.ofMinutes(45)).toEpochMilli());
            e.put("duration_ms", 45 * 60_000);
            e.put("peak_ratio", 0.55);
            e.put("entry_level", 0.3);
            e.put("exit_level", 0.2);
        }
        return a;
    }

    public static ObjectNode memberAtRisk(String alertId, String community, String user, Instant ts) {
        ObjectNode a = base(alertId, "MEMBER_AT_RISK", "warning", community, ts);
        a.put("user_id", user);
        ObjectNode e = a.putObject("evidence");
        e.put("days_inactive", 12);
        e.put("median_gap_days", 2.5);
        e.put("valuable_reason", "buyer_90d");
        return a;
    }

    public static byte[] bytes(ObjectNode a) {
        try {
            return MAPPER.writeValueAsBytes(a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode base(String alertId, String type, String severity, String community, Instant ts) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("schema_version", 1);
        a.put("alert_id", alertId);
        a.put("type", type);
        a.put("severity", severity);
        a.put("community_id", community);
        a.put("event_ts", ts.toEpochMilli());
        a.put("emitted_at", ts.plusSeconds(2).toEpochMilli());
        return a;
    }
}
