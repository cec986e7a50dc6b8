package com.communitypulse.bench;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.kafka.KafkaConnections;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The second peer of {@code pulse bench}: the window metrics a user would otherwise write in Flink
 * SQL, over the same input topics. Per community and 1-minute tumbling event-time window: messages,
 * active members ({@code COUNT(DISTINCT user_id)}), clicks, paid orders and their GMV, read with the
 * Kafka SQL connector and JSON format (malformed records skipped, as a SQL user would configure it)
 * and written by the exactly-once Kafka SQL sink; with the optimisations Flink offers for such a
 * query: mini-batch, two-phase (local-global) aggregation and split distinct aggregation. Same
 * environment as the other drains (RocksDB, incremental checkpoints, parallelism).
 *
 * <p>It computes far less than the full job: no deduplication, lateness routing, sentiment,
 * attribution (orders and clicks without a {@code community_id} are left out here), rolling gauges,
 * retention, lifecycle or alerts, and one granularity instead of three. docs/BENCHMARKS.md explains
 * how to read the ratio.
 */
final class SqlPeerJob {
    /** Table options set on the peer, as a user tuning this query would (Flink's performance tuning guide). */
    static final Map<String, String> TUNING = Map.of(
            "table.exec.mini-batch.enabled", "true",
            "table.exec.mini-batch.allow-latency", "1 s",
            "table.exec.mini-batch.size", "5000",
            "table.optimizer.agg-phase-strategy", "TWO_PHASE",
            "table.optimizer.distinct-agg.split.enabled", "true");

    static final String INSERT = String.join("\n",
            "INSERT INTO peer_metrics",
            "SELECT community_id, window_start, window_end,",
            "  SUM(is_message) AS messages,",
            "  COUNT(DISTINCT active_user) AS active_members,",
            "  SUM(is_click) AS clicks,",
            "  SUM(is_order) AS orders,",
            "  SUM(gmv_minor) AS gmv_minor",
            "FROM TABLE(TUMBLE(TABLE peer_events, DESCRIPTOR(rt), INTERVAL '1' MINUTE))",
            "GROUP BY community_id, window_start, window_end");

    private SqlPeerJob() {}

    /**
     * Declares the tables and the query on {@code env}, which then runs it like any DataStream job.
     * Returns the names of the optimised plan's aggregation operators (so the report shows which of
     * the tuning options took effect).
     */
    static List<String> build(StreamExecutionEnvironment env, PulseConfig cfg, String outputTopic) {
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        TUNING.forEach((k, v) -> t.getConfig().set(k, v));
        t.getConfig().set("table.exec.source.idle-timeout", cfg.millis(PulseConfig.IDLENESS) + " ms");
        long delay = cfg.millis(PulseConfig.OUT_OF_ORDERNESS);
        String kafka = kafkaOptions(cfg);
        String source = kafka + ",\n  'properties.group.id' = " + literal(cfg.get(PulseConfig.GROUP_ID))
                + ",\n  'scan.startup.mode' = 'earliest-offset'"
                + (cfg.get(PulseConfig.BOUNDED) ? ",\n  'scan.bounded.mode' = 'latest-offset'" : "")
                + ",\n  'format' = 'json', 'json.ignore-parse-errors' = 'true', 'json.fail-on-missing-field' = 'false'";
        // The watermark on the epoch milliseconds: exact for any configured delay (an INTERVAL literal's
        // default precision stops at 99 seconds).
        String time = "  ts BIGINT,\n  rt AS TO_TIMESTAMP_LTZ(COALESCE(ts, 0), 3),\n  WATERMARK FOR rt AS TO_TIMESTAMP_LTZ(COALESCE(ts, 0) - " + delay + ", 3)";
        t.executeSql("CREATE TEMPORARY TABLE peer_messages (\n  community_id STRING, user_id STRING, kind STRING,\n" + time
                + "\n) WITH (\n  'topic' = " + literal(cfg.get(PulseConfig.TOPIC_MESSAGES)) + ",\n" + source + ")");
        t.executeSql("CREATE TEMPORARY TABLE peer_clicks (\n  community_id STRING, user_id STRING,\n" + time
                + "\n) WITH (\n  'topic' = " + literal(cfg.get(PulseConfig.TOPIC_CLICKS)) + ",\n" + source + ")");
        t.executeSql("CREATE TEMPORARY TABLE peer_orders (\n  community_id STRING, user_id STRING, status STRING, amount_minor BIGINT,\n" + time
                + "\n) WITH (\n  'topic' = " + literal(cfg.get(PulseConfig.TOPIC_ORDERS)) + ",\n" + source + ")");
        // Activity as the contract counts it: any message action except join/leave, and every click.
        t.executeSql(String.join("\n",
                "CREATE TEMPORARY VIEW peer_events AS",
                "SELECT community_id, rt, CASE WHEN kind IN ('join', 'leave') THEN 0 ELSE 1 END AS is_message,",
                "  CASE WHEN kind IN ('join', 'leave') THEN CAST(NULL AS STRING) ELSE user_id END AS active_user,",
                "  0 AS is_click, 0 AS is_order, CAST(0 AS BIGINT) AS gmv_minor",
                "FROM peer_messages WHERE community_id IS NOT NULL AND user_id IS NOT NULL",
                "UNION ALL",
                "SELECT community_id, rt, 0, user_id, 1, 0, CAST(0 AS BIGINT) FROM peer_clicks",
                "WHERE community_id IS NOT NULL AND user_id IS NOT NULL",
                "UNION ALL",
                "SELECT community_id, rt, 0, CAST(NULL AS STRING), 0, 1, amount_minor FROM peer_orders",
                "WHERE community_id IS NOT NULL AND status = 'paid' AND amount_minor IS NOT NULL"));
        t.executeSql("CREATE TEMPORARY TABLE peer_metrics (\n"
                + "  community_id STRING, window_start TIMESTAMP_LTZ(3), window_end TIMESTAMP_LTZ(3),\n"
                + "  messages INT, active_members BIGINT, clicks INT, orders INT, gmv_minor BIGINT\n"
                + ") WITH (\n  'topic' = " + literal(outputTopic) + ",\n" + kafka
                + ",\n  'format' = 'json',\n  'sink.delivery-guarantee' = 'exactly-once',\n  'sink.transactional-id-prefix' = "
                + literal(cfg.get(PulseConfig.GROUP_ID) + "-sql-peer")
                + ",\n  'properties.transaction.timeout.ms' = '" + cfg.millis(PulseConfig.TX_TIMEOUT) + "'"
                + ",\n  'properties.compression.type' = 'lz4', 'properties.linger.ms' = '20')");
        StreamStatementSet set = t.createStatementSet();
        set.addInsertSql(INSERT);
        List<String> aggregations = aggregations(set.explain());
        set.attachAsDataStream();
        return aggregations;
    }

    /** The connector and client properties (bootstrap servers and security) shared by sources and sink. */
    private static String kafkaOptions(PulseConfig cfg) {
        Properties p = KafkaConnections.clientProperties(cfg);
        StringBuilder sb = new StringBuilder("  'connector' = 'kafka'");
        for (String k : p.stringPropertyNames().stream().sorted().toList()) {
            sb.append(",\n  ").append(literal("properties." + k)).append(" = ").append(literal(p.getProperty(k)));
        }
        return sb.toString();
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Operator names of the optimised physical plan that show which aggregation strategy the planner chose. */
    static List<String> aggregations(String explain) {
        int at = explain.indexOf("== Optimized Physical Plan ==");
        int end = explain.indexOf("== Optimized Execution Plan ==");
        String plan = at < 0 ? explain : explain.substring(at, end > at ? end : explain.length());
        List<String> found = new ArrayList<>();
        for (String op : List.of("MiniBatchAssigner", "LocalWindowAggregate", "GlobalWindowAggregate", "WindowAggregate", "Expand",
                "LocalGroupAggregate", "GlobalGroupAggregate", "IncrementalGroupAggregate")) {
            if (plan.matches("(?s).*\\b" + op + "\\(.*")) found.add(op);
        }
        return found;
    }
}
