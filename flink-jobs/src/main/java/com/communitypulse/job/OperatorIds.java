package com.communitypulse.job;

/**
 * Stable operator uids (and names). Savepoints map state to operators by uid: never change or
 * reuse one; a new operator gets a new constant.
 */
public final class OperatorIds {
    private OperatorIds() {}

    public static final String SOURCE_MESSAGES = "source-messages";
    public static final String SOURCE_CLICKS = "source-clicks";
    public static final String SOURCE_ORDERS = "source-orders";
    public static final String ROUTE_PREFIX = "route-";
    public static final String DEDUPLICATE = "deduplicate";
    /** Prefix: one scoring operator per input, chained to its source. */
    public static final String SENTIMENT = "score-sentiment";
    public static final String SCORED_SPLIT = "scored-messages-to-alerts";
    public static final String ATTRIBUTION = "attribute-orders";
    public static final String MEMBER_ACTIVITY = "member-activity";
    public static final String WINDOW_PREFIX = "window-metrics-";
    public static final String WINDOW_PARTIALS = "window-partials";
    /** One operator for all granularities since 0.2.0 (0.1.0 had window-metrics-0/1/2, see docs/OPERATIONS.md, Upgrading from 0.1.0 state). */
    public static final String WINDOWS = "community-windows";
    public static final String ROLLING = "rolling-gauges";
    public static final String GAUGE_SUMS = "gauge-delta-sums";
    public static final String RETENTION = "retention";
    public static final String TOP_CONTRIBUTORS = "top-contributors";
    public static final String NEGATIVE_MESSAGES = "alerts-negative-message";
    public static final String NEGATIVE_SPIKES = "alerts-negative-spike";
    public static final String RECEIVED_ENGAGEMENT = "received-engagement";
    public static final String LIFECYCLE = "member-lifecycle";
    public static final String CHURN_SPIKES = "alerts-churn-spike";
    public static final String COMMUNITY_ROUTER = "community-router";
    public static final String SERIALIZE_PREFIX = "serialize-";
    public static final String SINK_PREFIX = "sink-";
}
