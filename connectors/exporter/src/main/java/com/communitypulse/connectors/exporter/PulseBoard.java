package com.communitypulse.connectors.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The exporter's view of {@code pulse.metrics} and {@code pulse.alerts}, rendered as Prometheus
 * metrics at scrape time.
 *
 * <p><b>Upserts.</b> Metric records are upserts (CONTRACT §8): per community and window size the
 * record with the latest {@code window_start} wins, and within one window the highest
 * {@code revision}; per community the rolling record with the latest {@code (as_of, revision)}.
 *
 * <p><b>Cardinality.</b> Only the top-N communities by rolling DAU get their own {@code community}
 * label; all others are summed into {@code community="other"} (ratios recomputed from the summed
 * numerators and denominators, so "other" is a real aggregate, not an average of ratios), and the
 * global total keeps {@code community="*"}. The ranking is recomputed at every scrape, which is
 * fine for gauges. Alert counters must stay monotonic, so a community that once got its own alert
 * series keeps it (up to {@code max-alert-communities}); later ones count under "other". User ids
 * and texts never become labels; unknown metric names are ignored; alert types and severities are
 * only those of CONTRACT §6 (anything else is counted as an invalid record).
 *
 * <p><b>Staleness.</b> A community's window values are exported while its latest window is the
 * latest or the previous window of that size seen on the topic; a community quiet for longer
 * drops out of the window gauges instead of repeating old numbers.
 *
 * <p>Thread safety: the Kafka reader thread updates, the HTTP server's threads collect; every
 * public method is synchronized (a scrape is O(communities)).
 */
public final class PulseBoard implements MultiCollector {
    /** Window metrics of CONTRACT §4 as written by the job; others on the wire are ignored. */
    public static final List<String> WINDOW_COUNTS = List.of("messages", "posts", "comments", "replies", "reactions", "shares", "joins",
            "leaves", "views", "clicks", "add_to_carts", "orders", "refunds", "gmv_minor", "sentiment_positive", "sentiment_neutral",
            "sentiment_negative", "active_members", "speaking_members", "clickers", "buyers");
    public static final List<String> WINDOW_RATIOS = List.of("negative_ratio", "conversion_rate", "click_to_order");
    public static final List<String> ROLLING_COUNTS = List.of("dau", "wau", "mau", "members", "speaking_members_1d");
    public static final List<String> ROLLING_RATIOS = List.of("stickiness", "participation_rate");
    public static final List<String> ALERT_TYPES = List.of("MEMBER_AT_RISK", "MEMBER_CHURNED", "CHURN_SPIKE", "NEGATIVE_MESSAGE", "NEGATIVE_SPIKE");
    public static final List<String> SEVERITIES = List.of("info", "warning", "critical");
    /**
     * Prometheus names of the ratio fields where the record's field name does not end in
     * {@code _ratio} (Prometheus naming: a ratio is {@code _ratio}, {@code _rate} suggests per
     * second). The record fields keep their CONTRACT §4 names; see the exporter README's output table.
     */
    public static final Map<String, String> RATIO_NAMES = Map.of(
            "conversion_rate", "conversion_ratio",
            "click_to_order", "click_to_order_ratio",
            "stickiness", "stickiness_ratio",
            "participation_rate", "participation_ratio");
    public static final String GLOBAL = "*";
    public static final String OTHER = "other";
    /** Inputs of the freshness gauges. */
    public static final String METRICS = "metrics";
    public static final String ALERTS = "alerts";

    private static final Pattern WINDOW_NAME = Pattern.compile("P(T\\d{1,4}[SMH]|\\d{1,3}D)");
    private static final int MAX_WINDOW_SIZES = 8;
    private static final int MAX_COMMUNITY_ID = 128;
    private static final int SEEN_ALERT_IDS = 100_000;

    private final int topN;
    private final int maxAlertCommunities;
    private final LongSupplier clock;

    private final Map<String, Community> communities = new HashMap<>();
    /** Per window size: the latest window seen on the topic, [start, end). */
    private final Map<String, long[]> latestWindow = new TreeMap<>();
    private final Map<String, Long> latestEventTime = new TreeMap<>();
    private final Map<String, Long> records = new TreeMap<>();
    private final Map<String, Long> invalid = new TreeMap<>();
    private long duplicateAlerts;
    /** type|severity → count over all communities (pre-initialised: every series exists from the start). */
    private final Map<String, Long> alertsByType = new LinkedHashMap<>();
    /** type|severity|community label → count. */
    private final Map<String, Long> alertsByCommunity = new TreeMap<>();
    /** type → resolved spike episodes (pre-initialised for the episode types). */
    private final Map<String, Long> resolved = new TreeMap<>();
    private final Set<String> alertCommunities = new LinkedHashSet<>();
    private final Map<String, Boolean> seenAlertIds = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > SEEN_ALERT_IDS;
        }
    };

    public PulseBoard(int topN, int maxAlertCommunities, LongSupplier clock) {
        this.topN = topN;
        this.maxAlertCommunities = maxAlertCommunities;
        this.clock = clock;
        for (String t : ALERT_TYPES) {
            for (String s : SEVERITIES) {
                alertsByType.put(t + "|" + s, 0L);
                // Every type and severity has a pulse_alerts_total series from the start (under
                // "other"), so increase() counts the first alert and sums by type are never empty.
                alertsByCommunity.put(t + "|" + s + "|" + OTHER, 0L);
            }
        }
        for (String t : List.of("CHURN_SPIKE", "NEGATIVE_SPIKE")) {
            resolved.put(t, 0L);
        }
        for (String in : List.of(METRICS, ALERTS)) {
            records.put(in, 0L);
            invalid.put(in, 0L);
        }
    }

    private static final class Community {
        final Map<String, Window> windows = new HashMap<>();
        Rolling rolling;
    }

    private record Window(long start, long end, long revision, Map<String, Double> metrics) {}

    private record Rolling(long asOf, long revision, Map<String, Double> metrics) {}

    /** Applies one {@code pulse.metrics} record; returns false (and counts it) if it is not one. */
    public synchronized boolean acceptMetric(JsonNode r) {
        String community = communityId(r);
        String kind = r == null ? "" : r.path("kind").asText("");
        JsonNode m = r == null ? null : r.path("metrics");
        if (community == null || m == null || !m.isObject() || !r.path("revision").canConvertToLong()) {
            return invalid(METRICS);
        }
        long revision = r.path("revision").asLong();
        if (kind.equals("window")) {
            String size = r.path("window").asText("");
            if (!WINDOW_NAME.matcher(size).matches() || !r.path("window_start").canConvertToLong() || !r.path("window_end").canConvertToLong()
                    || (!latestWindow.containsKey(size) && latestWindow.size() >= MAX_WINDOW_SIZES)) {
                return invalid(METRICS);
            }
            long start = r.path("window_start").asLong();
            long end = r.path("window_end").asLong();
            Community c = communities.computeIfAbsent(community, k -> new Community());
            Window cur = c.windows.get(size);
            if (cur == null || start > cur.start || (start == cur.start && revision >= cur.revision)) {
                c.windows.put(size, new Window(start, end, revision, values(m, WINDOW_COUNTS, WINDOW_RATIOS)));
            }
            long[] latest = latestWindow.get(size);
            if (latest == null || start > latest[0]) {
                latestWindow.put(size, new long[] {start, end});
            }
            seen(METRICS, end);
        } else if (kind.equals("rolling")) {
            if (!r.path("as_of").canConvertToLong()) {
                return invalid(METRICS);
            }
            long asOf = r.path("as_of").asLong();
            Community c = communities.computeIfAbsent(community, k -> new Community());
            if (c.rolling == null || asOf > c.rolling.asOf || (asOf == c.rolling.asOf && revision >= c.rolling.revision)) {
                c.rolling = new Rolling(asOf, revision, values(m, ROLLING_COUNTS, ROLLING_RATIOS));
            }
            seen(METRICS, asOf);
        } else {
            return invalid(METRICS);
        }
        records.merge(METRICS, 1L, Long::sum);
        return true;
    }

    /** Applies one {@code pulse.alerts} record; duplicates (same {@code alert_id}, at-least-once delivery) count once. */
    public synchronized boolean acceptAlert(JsonNode a) {
        String community = communityId(a);
        String type = a == null ? "" : a.path("type").asText("");
        String severity = a == null ? "" : a.path("severity").asText("");
        String id = a == null ? "" : a.path("alert_id").asText("");
        if (community == null || id.isEmpty() || !ALERT_TYPES.contains(type) || !SEVERITIES.contains(severity)
                || !a.path("event_ts").canConvertToLong()) {
            return invalid(ALERTS);
        }
        records.merge(ALERTS, 1L, Long::sum);
        seen(ALERTS, a.path("event_ts").asLong());
        // Alerts may be read before any metric of their community (two topics, no order between
        // them): knowing the community lets it compete for a label instead of falling into "other".
        communities.computeIfAbsent(community, k -> new Community());
        if (seenAlertIds.put(id, Boolean.TRUE) != null) {
            duplicateAlerts++;
            return true;
        }
        if ("resolved".equals(a.path("state").asText())) {
            resolved.merge(type, 1L, Long::sum);
            return true;
        }
        alertsByType.merge(type + "|" + severity, 1L, Long::sum);
        String label = alertLabel(community);
        alertsByCommunity.merge(type + "|" + severity + "|" + label, 1L, Long::sum);
        return true;
    }

    private String alertLabel(String community) {
        if (community.equals(GLOBAL) || alertCommunities.contains(community)) {
            return community;
        }
        if (alertCommunities.size() < maxAlertCommunities && topCommunities().contains(community)) {
            alertCommunities.add(community);
            return community;
        }
        return OTHER;
    }

    private static String communityId(JsonNode r) {
        if (r == null || !r.path("community_id").isTextual()) {
            return null;
        }
        String c = r.path("community_id").asText();
        if (c.isEmpty() || c.length() > MAX_COMMUNITY_ID || c.equals(OTHER) || c.chars().anyMatch(Character::isISOControl)) {
            return null;
        }
        return c;
    }

    private static Map<String, Double> values(JsonNode m, List<String> counts, List<String> ratios) {
        Map<String, Double> v = new HashMap<>();
        for (List<String> names : List.of(counts, ratios)) {
            for (String n : names) {
                JsonNode x = m.get(n);
                if (x != null && x.isNumber()) {
                    v.put(n, x.asDouble());
                }
            }
        }
        return v;
    }

    private void seen(String input, long eventTime) {
        latestEventTime.merge(input, eventTime, Math::max);
    }

    private boolean invalid(String input) {
        invalid.merge(input, 1L, Long::sum);
        return false;
    }

    /** The communities with their own label now: top-N by rolling DAU (ties by id, for stable output). */
    public synchronized Set<String> topCommunities() {
        List<Map.Entry<String, Community>> ranked = new ArrayList<>();
        for (Map.Entry<String, Community> e : communities.entrySet()) {
            if (!e.getKey().equals(GLOBAL)) ranked.add(e);
        }
        ranked.sort(Comparator.comparingDouble((Map.Entry<String, Community> e) -> -activity(e.getValue())).thenComparing(Map.Entry::getKey));
        Set<String> top = new LinkedHashSet<>();
        for (int i = 0; i < Math.min(topN, ranked.size()); i++) {
            top.add(ranked.get(i).getKey());
        }
        return top;
    }

    private static double activity(Community c) {
        return c.rolling == null ? 0 : c.rolling.metrics.getOrDefault("dau", 0.0);
    }

    @Override
    public synchronized MetricSnapshots collect() {
        long now = clock.getAsLong();
        Set<String> top = topCommunities();
        List<MetricSnapshot> out = new ArrayList<>();

        Map<String, GaugeSnapshot.Builder> window = new LinkedHashMap<>();
        Map<String, GaugeSnapshot.Builder> windowDeprecated = new LinkedHashMap<>();
        for (String n : concat(WINDOW_COUNTS, WINDOW_RATIOS)) {
            String help = "CONTRACT §4 " + n + " of the community's latest " + (WINDOW_RATIOS.contains(n) ? "window (absent when the denominator is 0)" : "window");
            window.put(n, GaugeSnapshot.builder().name("pulse_window_" + RATIO_NAMES.getOrDefault(n, n)).help(help));
            if (RATIO_NAMES.containsKey(n)) {
                windowDeprecated.put(n, deprecated("pulse_window_" + n, "pulse_window_" + RATIO_NAMES.get(n)));
            }
        }
        GaugeSnapshot.Builder windowStart = GaugeSnapshot.builder().name("pulse_window_start_seconds")
                .help("Start of the latest window seen per window size (event time, Unix seconds)");
        for (Map.Entry<String, long[]> w : latestWindow.entrySet()) {
            String size = w.getKey();
            long latestStart = w.getValue()[0];
            long length = w.getValue()[1] - w.getValue()[0];
            windowStart.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("window", size)).value(latestStart / 1000.0).build());
            Map<String, Double> other = new HashMap<>();
            boolean anyOther = false;
            for (Map.Entry<String, Community> e : communities.entrySet()) {
                Window cw = e.getValue().windows.get(size);
                if (cw == null || cw.start < latestStart - length) {
                    continue;
                }
                String id = e.getKey();
                if (id.equals(GLOBAL) || top.contains(id)) {
                    emit(window, cw.metrics, Labels.of("community", id, "window", size));
                    emit(windowDeprecated, cw.metrics, Labels.of("community", id, "window", size));
                } else {
                    anyOther = true;
                    for (String n : WINDOW_COUNTS) other.merge(n, cw.metrics.getOrDefault(n, 0.0), Double::sum);
                }
            }
            if (anyOther) {
                ratio(other, "negative_ratio", "sentiment_negative", "sentiment_positive", "sentiment_neutral", "sentiment_negative");
                ratio(other, "conversion_rate", "buyers", "active_members");
                ratio(other, "click_to_order", "orders", "clicks");
                emit(window, other, Labels.of("community", OTHER, "window", size));
                emit(windowDeprecated, other, Labels.of("community", OTHER, "window", size));
            }
        }
        window.values().forEach(b -> out.add(b.build()));
        windowDeprecated.values().forEach(b -> out.add(b.build()));
        out.add(windowStart.build());

        Map<String, GaugeSnapshot.Builder> rolling = new LinkedHashMap<>();
        Map<String, GaugeSnapshot.Builder> rollingDeprecated = new LinkedHashMap<>();
        for (String n : concat(ROLLING_COUNTS, ROLLING_RATIOS)) {
            rolling.put(n, GaugeSnapshot.builder().name("pulse_rolling_" + RATIO_NAMES.getOrDefault(n, n))
                    .help("CONTRACT §4 rolling " + n + " as of the community's latest update"));
            if (RATIO_NAMES.containsKey(n)) {
                rollingDeprecated.put(n, deprecated("pulse_rolling_" + n, "pulse_rolling_" + RATIO_NAMES.get(n)));
            }
        }
        Map<String, Double> other = new HashMap<>();
        boolean anyOther = false;
        for (Map.Entry<String, Community> e : communities.entrySet()) {
            Rolling r = e.getValue().rolling;
            if (r == null) continue;
            if (e.getKey().equals(GLOBAL) || top.contains(e.getKey())) {
                emit(rolling, r.metrics, Labels.of("community", e.getKey()));
                emit(rollingDeprecated, r.metrics, Labels.of("community", e.getKey()));
            } else {
                anyOther = true;
                for (String n : ROLLING_COUNTS) other.merge(n, r.metrics.getOrDefault(n, 0.0), Double::sum);
            }
        }
        if (anyOther) {
            ratio(other, "stickiness", "dau", "mau");
            ratio(other, "participation_rate", "speaking_members_1d", "members");
            emit(rolling, other, Labels.of("community", OTHER));
            emit(rollingDeprecated, other, Labels.of("community", OTHER));
        }
        rolling.values().forEach(b -> out.add(b.build()));
        rollingDeprecated.values().forEach(b -> out.add(b.build()));

        CounterSnapshot.Builder byCommunity = CounterSnapshot.builder().name("pulse_alerts")
                .help("Alerts (firing or one-off; duplicates by alert_id dropped) by type, severity and community (bounded: see max-alert-communities)");
        alertsByCommunity.forEach((k, v) -> {
            String[] p = k.split("\\|", -1);
            byCommunity.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("community", p[2], "severity", p[1], "type", p[0])).value(v).build());
        });
        out.add(byCommunity.build());
        // pulse_alert_types is sum without (community) (pulse_alerts): kept one release for old queries.
        CounterSnapshot.Builder byType = CounterSnapshot.builder().name("pulse_alert_types")
                .help("DEPRECATED, use sum without (community) (pulse_alerts_total); removed in the next release. Alerts over all communities by type and severity");
        alertsByType.forEach((k, v) -> {
            String[] p = k.split("\\|", -1);
            byType.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("severity", p[1], "type", p[0])).value(v).build());
        });
        out.add(byType.build());
        CounterSnapshot.Builder res = CounterSnapshot.builder().name("pulse_alerts_resolved").help("Resolved spike episodes over all communities, by type");
        resolved.forEach((t, v) -> res.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("type", t)).value(v).build()));
        out.add(res.build());

        GaugeSnapshot.Builder latest = GaugeSnapshot.builder().name("pulse_latest_event_time_seconds")
                .help("Latest event time seen per input (metrics: window end or rolling as_of; alerts: event_ts), Unix seconds");
        GaugeSnapshot.Builder freshness = GaugeSnapshot.builder().name("pulse_data_freshness_seconds")
                .help("Wall-clock now minus the latest event time seen per input");
        latestEventTime.forEach((in, t) -> {
            latest.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("input", in)).value(t / 1000.0).build());
            freshness.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("input", in)).value((now - t) / 1000.0).build());
        });
        out.add(latest.build());
        out.add(freshness.build());

        CounterSnapshot.Builder read = CounterSnapshot.builder().name("pulse_exporter_records").help("Records read per input");
        records.forEach((in, v) -> read.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("input", in)).value(v).build()));
        out.add(read.build());
        CounterSnapshot.Builder bad = CounterSnapshot.builder().name("pulse_exporter_invalid_records")
                .help("Records per input that are not valid metric or alert records (skipped)");
        invalid.forEach((in, v) -> bad.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("input", in)).value(v).build()));
        out.add(bad.build());
        out.add(CounterSnapshot.builder().name("pulse_exporter_duplicate_alerts").help("Alert records skipped because their alert_id was seen before")
                .dataPoint(CounterDataPointSnapshot.builder().value(duplicateAlerts).build()).build());
        out.add(GaugeSnapshot.builder().name("pulse_exporter_communities").help("Communities known to the exporter (labelled or not)")
                .dataPoint(GaugeDataPointSnapshot.builder().value(communities.size()).build()).build());
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot.Builder deprecated(String oldName, String newName) {
        return GaugeSnapshot.builder().name(oldName).help("DEPRECATED, use " + newName + " (same value); removed in the next release");
    }

    private static void emit(Map<String, GaugeSnapshot.Builder> gauges, Map<String, Double> values, Labels labels) {
        for (Map.Entry<String, GaugeSnapshot.Builder> g : gauges.entrySet()) {
            Double v = values.get(g.getKey());
            if (v != null) {
                g.getValue().dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(v).build());
            }
        }
    }

    /** Sets {@code name} = numerator / sum(denominators) unless the denominator is 0 (CONTRACT §8: absent, not 0 or NaN). */
    private static void ratio(Map<String, Double> m, String name, String numerator, String... denominators) {
        double den = 0;
        for (String d : denominators) den += m.getOrDefault(d, 0.0);
        if (den > 0) {
            m.put(name, m.getOrDefault(numerator, 0.0) / den);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
