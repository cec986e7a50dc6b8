package com.communitypulse.bench;

/** Latency phase: fixed input rate, arrival in Kafka → alert / window metric readable (read_committed). */
record LatencyResult(double targetRate, double achievedRate, double seconds, double eventTimeSpeed, double load,
                     Stats alerts, Stats metrics, String alertDelivery) {

    /** Percentiles in milliseconds over n samples. */
    record Stats(int n, long p50, long p99, long max) {
        static Stats of(long[] values, int n) {
            if (n == 0) return new Stats(0, -1, -1, -1);
            long[] v = java.util.Arrays.copyOf(values, n);
            java.util.Arrays.sort(v);
            return new Stats(n, v[(int) Math.min(n - 1, Math.floor(0.50 * (n - 1)))],
                    v[(int) Math.min(n - 1, Math.ceil(0.99 * (n - 1)))], v[n - 1]);
        }
    }
}
