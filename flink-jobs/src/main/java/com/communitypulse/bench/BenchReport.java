package com.communitypulse.bench;

import com.communitypulse.config.PulseConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the results of one {@code pulse bench} run and prints them as a table (plain text or Markdown). */
final class BenchReport {
    /** File mode: {@code pulse process} over the same data set as JSON lines. */
    record FileResult(long records, double seconds, double load) {
        double rate() {
            return records / seconds;
        }
    }

    private final BenchCli.Options o;
    private final String runId;
    private long produced;
    /** Distinct members in the produced data (0 when not counted). */
    private long members;
    private double produceSeconds;
    private double produceLoad;
    private DrainResult full;
    private DrainResult baseline;
    /** The SQL peer (SqlPeerJob) and the aggregation operators of its optimised plan. */
    private DrainResult sql;
    private List<String> sqlPlan = List.of();
    private DrainResult coldSql;
    /** Malformed records among the produced ones (the SQL peer's JSON format skips them). */
    private long malformed;
    /** The warm-up drains (the first run of each job in this JVM), when {@code --warmup on}. */
    private DrainResult coldFull;
    private DrainResult coldBaseline;
    private LatencyResult latency;
    private FileResult file;
    private final List<String[]> failures = new ArrayList<>();

    BenchReport(BenchCli.Options o, String runId) {
        this.o = o;
        this.runId = runId;
    }

    void produced(long n, double s, double load) { produced = n; produceSeconds = s; produceLoad = load; }
    long producedRecords() { return produced; }
    void members(long n) { members = n; }
    void full(DrainResult r) { full = r; }
    void baseline(DrainResult r) { baseline = r; }
    void coldFull(DrainResult r) { coldFull = r; }
    void coldBaseline(DrainResult r) { coldBaseline = r; }
    void sql(DrainResult r) { sql = r; }
    void coldSql(DrainResult r) { coldSql = r; }
    void sqlPlan(List<String> ops) { sqlPlan = List.copyOf(ops); }
    void malformed(long n) { malformed = n; }
    long malformed() { return malformed; }
    DrainResult sql() { return sql; }
    void latency(LatencyResult r) { latency = r; }
    void file(FileResult r) { file = r; }
    void failed(String phase, String why) { failures.add(row(phase + " phase FAILED", why, "")); }
    DrainResult full() { return full; }
    DrainResult baseline() { return baseline; }
    LatencyResult latency() { return latency; }
    FileResult file() { return file; }

    /** Rows of (measure, value, target / note). */
    List<String[]> rows() {
        List<String[]> r = new ArrayList<>();
        PulseConfig job = o.job();
        r.add(row("run", runId + " · " + Runtime.getRuntime().availableProcessors() + " cores · Java " + System.getProperty("java.version")
                + " · max heap " + mib(Runtime.getRuntime().maxMemory()), ""));
        r.add(row("data set", String.format(Locale.ROOT, "%s: %,d communities, %,d members, ~%,d events, %d days, seed %d",
                o.preset().id(), o.data().communities(), o.data().members(), o.data().eventsTarget(), o.data().days(), o.data().seed()), ""));
        r.add(row("settings", String.format(Locale.ROOT, "parallelism %d, %d partitions/topic, RocksDB incremental, checkpoint every %s, exactly-once sinks",
                job.get(PulseConfig.PARALLELISM), o.partitions(), job.get(PulseConfig.CHECKPOINT_INTERVAL))
                + (!o.phases().contains("full") && !o.phases().contains("baseline") && !o.phases().contains("sql") ? ""
                        : o.warmups() == 1 ? "; measured after a warm-up drain of each job (--warmup on)"
                        : o.warmups() > 1 ? "; measured after " + o.warmups() + " warm-up drains of each job (--warmup " + o.warmups() + ")"
                        : "; cold JVM (--warmup off)"), ""));
        if (produced > 0) {
            r.add(row("pre-fill (generator → Kafka)", String.format(Locale.ROOT, "%,d records in %.1f s = %,.0f rec/s", produced, produceSeconds, produced / produceSeconds),
                    load(produceLoad)));
        }
        if (full != null) drainRows(r, full, "≥ 100,000 ev/s");
        if (baseline != null) drainRows(r, baseline, "");
        if (full != null && baseline != null) {
            r.add(row("full / baseline", !full.timed() || !baseline.timed()
                    ? String.format(Locale.ROOT, "not measured: a drain shorter than %.0f s is below the probe's resolution; use more --events", DrainResult.MIN_TIMED_SECONDS)
                    : String.format(Locale.ROOT, "%.3f wall-clock; %.3f per CPU-second%s", full.rate() / baseline.rate(), full.ratePerCpuSecond() / baseline.ratePerCpuSecond(),
                            full.secondHalfPerCpuSecond() > 0 && baseline.secondHalfPerCpuSecond() > 0
                                    ? String.format(Locale.ROOT, "; %.3f per CPU-second in the second half", full.secondHalfPerCpuSecond() / baseline.secondHalfPerCpuSecond())
                                    : "")
                            + (full.ratePerCpuSecondWithoutJit() > 0 && baseline.ratePerCpuSecondWithoutJit() > 0
                                    ? String.format(Locale.ROOT, "; %.3f per CPU-second without JIT", full.ratePerCpuSecondWithoutJit() / baseline.ratePerCpuSecondWithoutJit())
                                    : ""),
                    "≥ 0.8"));
        }
        if (sql != null) {
            drainRows(r, sql, "");
            r.add(row(BenchCli.SQL_PEER + ": query", "per community and 1-minute window: messages, COUNT(DISTINCT user_id), clicks, paid orders, GMV; "
                    + "optimised plan: " + String.join(", ", sqlPlan), ""));
        }
        if (full != null && sql != null) {
            r.add(row("full / " + BenchCli.SQL_PEER, !full.timed() || !sql.timed()
                    ? String.format(Locale.ROOT, "not measured: a drain shorter than %.0f s is below the probe's resolution; use more --events", DrainResult.MIN_TIMED_SECONDS)
                    : String.format(Locale.ROOT, "%.3f wall-clock; %.3f per CPU-second (the full job computes far more: see docs/BENCHMARKS.md)",
                            full.rate() / sql.rate(), full.ratePerCpuSecond() / sql.ratePerCpuSecond()),
                    "≥ 1"));
        }
        if (coldFull != null) coldRows(r, coldFull);
        if (coldBaseline != null) coldRows(r, coldBaseline);
        if (coldFull != null && coldBaseline != null && coldFull.timed() && coldBaseline.timed()) {
            r.add(row("cold JVM: full / baseline", String.format(Locale.ROOT, "%.3f per CPU-second (each job's first run; the baseline ran after the full job's, in a JVM the full job had warmed)",
                    coldFull.ratePerCpuSecond() / coldBaseline.ratePerCpuSecond()), ""));
        }
        if (coldSql != null) coldRows(r, coldSql);
        if (full != null) {
            long state = full.maxStateSize();
            r.add(row("full: checkpoints", String.format(Locale.ROOT, "%d completed; duration p50 %s, p99 %s, max %s; checkpointed (incremental) p50 %s",
                    full.checkpointCount(), ms(full.checkpointStat("end_to_end_duration", "p50")), ms(full.checkpointStat("end_to_end_duration", "p99")),
                    ms(full.checkpointStat("end_to_end_duration", "max")), mibD(full.checkpointStat("checkpointed_size", "p50"))), "p99 ≤ 2 s"));
            long m = members > 0 ? members : o.data().members();
            if (full.savepointBytes() > 0) {
                r.add(row("full: live state", String.format(Locale.ROOT, "canonical savepoint at the end %s = %,.0f B/member over the %,d members in the data (every operator's state and timers, uncompressed)",
                        mib(full.savepointBytes()), full.savepointBytes() / (double) m, m), "≤ 300 B/member"));
            }
            r.add(row("full: state", String.format(Locale.ROOT, "largest checkpoint (full) %s = %,.0f B/member over the %,d members in the data (RocksDB SST files, incl. versions not yet compacted); RocksDB local dir max %s = %,.0f B/member",
                    mib(state), state / (double) m, m, mib(full.rocksDbDirBytes()), full.rocksDbDirBytes() / (double) m),
                    full.savepointBytes() > 0 ? "" : "≤ 300 B/member"));
            r.add(row("full: memory", String.format(Locale.ROOT, "JVM heap used max %s; process RSS max %s; broker RSS max %s",
                    mib(full.maxHeapBytes()), mib(full.maxRssBytes()), mib(full.maxBrokerRssBytes())), ""));
            for (RestProbe.VertexTimes v : full.vertices()) {
                r.add(row("  task: " + shorten(v.name, 70), String.format(Locale.ROOT, "busy %4.0f‰ backpressured %4.0f‰ idle %4.0f‰ (×%d)",
                        v.busy(), v.backpressure(), v.idle(), v.parallelism), ""));
            }
        }
        if (sql != null) {
            r.add(row(BenchCli.SQL_PEER + ": checkpoints", String.format(Locale.ROOT, "%d completed; duration p50 %s, p99 %s", sql.checkpointCount(),
                    ms(sql.checkpointStat("end_to_end_duration", "p50")), ms(sql.checkpointStat("end_to_end_duration", "p99"))), ""));
        }
        if (baseline != null) {
            r.add(row("baseline: checkpoints", String.format(Locale.ROOT, "%d completed; duration p50 %s, p99 %s", baseline.checkpointCount(),
                    ms(baseline.checkpointStat("end_to_end_duration", "p50")), ms(baseline.checkpointStat("end_to_end_duration", "p99"))), ""));
        }
        if (latency != null) {
            r.add(row("latency: input", String.format(Locale.ROOT, "%,.0f ev/s target, %,.0f achieved, %.0f s, event time ×%.0f", latency.targetRate(),
                    latency.achievedRate(), latency.seconds(), latency.eventTimeSpeed()), load(latency.load())));
            r.add(row("latency: → alert readable (" + latency.alertDelivery() + ")", stats(latency.alerts()), "p99 ≤ 1 s"));
            r.add(row("latency: → 1-min metric readable (read_committed)", stats(latency.metrics()),
                    "p99 ≤ " + job.get(PulseConfig.CHECKPOINT_INTERVAL).toSeconds() + " s + 1 s"));
        }
        if (file != null) {
            r.add(row("file mode (pulse process)", String.format(Locale.ROOT, "%,d records in %.1f s = %,.0f rec/s (incl. MiniCluster start)",
                    file.records(), file.seconds(), file.rate()), load(file.load())));
        }
        r.addAll(failures);
        return r;
    }

    private void coldRows(List<String[]> r, DrainResult d) {
        r.add(row(d.job() + " job, cold JVM (warm-up run)", String.format(Locale.ROOT, "%s; %,.0f ev per CPU-second (%.1f CPU-s)",
                d.timed() ? String.format(Locale.ROOT, "%,.0f ev/s", d.rate()) : "too short to time", d.ratePerCpuSecond(), d.cpuSeconds()), load(d.load())));
    }

    private void drainRows(List<String[]> r, DrainResult d, String target) {
        String span = d.caughtUp()
                ? String.format(Locale.ROOT, "sources running → every record processed; a checkpoint committed the last outputs %.1f s later", d.commitSeconds())
                : "sources running → job finished, last output committed";
        String rate = d.timed() ? String.format(Locale.ROOT, "%,.0f ev/s", d.rate()) : "too short to time";
        r.add(row(d.job() + " job: drain rate", String.format(Locale.ROOT, "%s (%,d records in %.1f s, %s; start %.1f s)",
                rate, d.records(), d.seconds(), span, d.startupSeconds()), target + (target.isEmpty() ? "" : " · ") + load(d.load())));
        r.add(row(d.job() + " job: CPU cost", String.format(Locale.ROOT, "%,.0f ev per CPU-second (%.1f CPU-s over the same span, all threads of the process)",
                d.ratePerCpuSecond(), d.cpuSeconds()), ""));
        if (d.ratePerCpuSecondWithoutJit() > 0) {
            r.add(row(d.job() + " job: CPU cost without JIT", String.format(Locale.ROOT,
                    "%,.0f ev per CPU-second (the same span less %.1f CPU-s of the JIT compiler threads, %.0f %% of it)",
                    d.ratePerCpuSecondWithoutJit(), d.jitCpuSeconds(), 100 * d.jitCpuSeconds() / d.cpuSeconds()), ""));
        }
        if (d.secondHalfPerCpuSecond() > 0) {
            r.add(row(d.job() + " job: CPU cost, second half", String.format(Locale.ROOT,
                    "%,.0f ev per CPU-second (%,d records after the sources had read half the input, %.1f CPU-s from then to the end: start-up and most JIT compilation excluded)",
                    d.secondHalfPerCpuSecond(), d.secondHalfRecords(), d.secondHalfCpuSeconds()), ""));
        }
    }

    String table() {
        List<String[]> rows = rows();
        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
        StringBuilder sb = new StringBuilder();
        for (String[] x : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + w0 + "s  %s%s%n", x[0], x[1], x[2].isEmpty() ? "" : "   [" + x[2] + "]"));
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| measure | value | target / load |\n|---|---|---|\n");
        for (String[] x : rows()) {
            sb.append("| ").append(x[0].trim()).append(" | ").append(x[1]).append(" | ").append(x[2]).append(" |\n");
        }
        return sb.toString();
    }

    private static String[] row(String a, String b, String c) {
        return new String[] {a, b, c};
    }

    private static String stats(LatencyResult.Stats s) {
        return s.n() == 0 ? "no samples" : String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms, max %,d ms (n=%,d)", s.p50(), s.p99(), s.max(), s.n());
    }

    private static String load(double l) {
        return String.format(Locale.ROOT, "load %.1f", l);
    }

    private static String ms(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f ms", v);
    }

    private static String mib(long b) {
        return b < 0 ? "n/a" : String.format(Locale.ROOT, "%,.1f MiB", b / 1048576.0);
    }

    private static String mibD(double b) {
        return b < 0 ? "n/a" : mib((long) b);
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
