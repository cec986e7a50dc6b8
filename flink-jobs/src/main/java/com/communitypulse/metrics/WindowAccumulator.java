package com.communitypulse.metrics;

/**
 * Running counts of one community window (see {@link WindowMetricsAggregator}); a Flink POJO
 * around one {@code long[]} so RocksDB reads and writes a small fixed-size value per event.
 */
public class WindowAccumulator {
    public static final String[] NAMES = {"messages", "posts", "comments", "replies", "reactions", "shares", "joins", "leaves",
            "views", "clicks", "add_to_carts", "orders", "refunds", "gmv_minor", "sentiment_positive", "sentiment_neutral",
            "sentiment_negative", "active_members", "speaking_members", "clickers", "buyers"};
    public static final int MESSAGES = 0, POSTS = 1, COMMENTS = 2, REPLIES = 3, REACTIONS = 4, SHARES = 5, JOINS = 6, LEAVES = 7,
            VIEWS = 8, CLICKS = 9, ADD_TO_CARTS = 10, ORDERS = 11, REFUNDS = 12, GMV = 13, POSITIVE = 14, NEUTRAL = 15,
            NEGATIVE = 16, ACTIVE = 17, SPEAKING = 18, CLICKERS = 19, BUYERS = 20;

    private long[] counts = new long[NAMES.length];

    public WindowAccumulator() {}

    public long[] getCounts() { return counts; }
    public void setCounts(long[] counts) { this.counts = counts; }

    public long get(int i) {
        return counts[i];
    }
}
