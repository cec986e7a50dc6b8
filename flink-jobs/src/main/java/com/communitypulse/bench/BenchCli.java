package com.communitypulse.bench;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.connectors.kafka.TopicAdmin;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseEnvironment;
import com.communitypulse.job.PulseJob;
import com.communitypulse.kafka.KafkaConnections;
import com.communitypulse.launcher.Dirs;
import com.communitypulse.launcher.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code pulse bench}: the throughput, latency and state benchmark described in docs/BENCHMARKS.md.
 *
 * <ol>
 *   <li>starts a Kafka broker (or uses {@code --bootstrap}) and pre-fills fresh input topics with a
 *       generated data set (the generator finishes before any job starts, so it never competes for CPU);</li>
 *   <li><b>full</b>: runs the whole job (RocksDB, incremental checkpoints, exactly-once sinks) over
 *       those topics and measures the drain rate from the moment the source tasks run (they read from then on) until
 *       every record is processed (then a checkpoint commits the last outputs and a canonical savepoint measures
 *       the live state), or with {@code --drain-end finish} over bounded sources until the job finished;</li>
 *   <li><b>baseline</b>: the same for {@link BaselineJob} (parse → keyBy community → 1-minute
 *       count in RocksDB → exactly-once sink) over the same topics; the report prints full/baseline;</li>
 *   <li><b>latency</b>: a fresh job on empty topics, the generator producing at a fixed rate (50% of
 *       the measured full drain rate unless {@code --latency-rate}), latency from an event's arrival in
 *       Kafka to the alert / 1-minute window metric it produces being readable (read_committed);</li>
 *   <li><b>file</b>: {@code pulse process} on the same data set written as JSON lines.</li>
 * </ol>
 *
 * <h2>How to run</h2>
 * <pre>
 * ./pulse bench --preset small                 # 200k events, 20k members: a few minutes
 * ./pulse bench                                # the default: 20M events, 1M members
 * ./pulse bench --preset ci --phases full,baseline
 * </pre>
 * Prints one table (see docs/BENCHMARKS.md) and, with {@code --report FILE}, writes it as Markdown.
 */
public final class BenchCli {
    static final List<String> FLAGS = List.of("preset", "communities", "members", "events", "days", "seed", "bootstrap",
            "partitions", "phases", "latency-rate", "latency-seconds", "work", "report", "drain-end", "warmup");
    static final Set<String> PHASES = Set.of("full", "baseline", "sql", "latency", "file");
    static final String ALL_PHASES = "full,baseline,sql,latency,file";
    /** The SQL peer's name in the log and the report. */
    static final String SQL_PEER = "SQL peer";

    static final String USAGE = String.join("\n",
            "Usage: pulse bench [--preset ci|small|medium|full] [options] [job options]",
            "",
            "Pre-fills Kafka topics with a generated data set, then measures the full job's drain rate against",
            "a baseline job in the same run, the alert and metric latency at a fixed input rate, and file mode.",
            "",
            "  --preset P            ci (20k events), small (200k), medium (2M events, 100k members),",
            "                        full (default: 10,000 communities, 1,000,000 members, 20M events, 30 days)",
            "  --communities N, --members N, --events N, --days N, --seed N   override the preset's data set",
            "  --bootstrap HOST:PORT use this Kafka instead of starting a broker (topics bench.<run>.* are created)",
            "  --partitions N        partitions per topic (default 2)",
            "  --phases LIST         comma-separated subset of full,baseline,sql,latency,file (default: all); sql is the",
            "                        SQL peer: the per-community minute metrics as a tuned Flink SQL job over the same topics",
            "  --drain-end E         caught-up (default: unbounded sources; ends when every record is processed,",
            "                        then a checkpoint commits and a canonical savepoint measures the live state) or",
            "                        finish (bounded sources; ends when the job finished, after the end of input fired every timer)",
            "  --warmup on|off|N     on (default, = 1): the full job and the peers each drain the data set N times before the",
            "                        measured drains (JIT compilation and class loading paid before measuring, for all",
            "                        alike; the first warm-up's figures are printed as the cold-JVM rows); off (= 0): a cold JVM",
            "  --latency-rate N      input rate of the latency phase in events/s (default: 50% of the full drain rate)",
            "  --latency-seconds N   how long the latency phase produces (default: preset)",
            "  --work DIR            working directory (default: a new temp dir, deleted at the end)",
            "  --report FILE         also write the results as Markdown to FILE",
            "Job options (see 'pulse config') apply to the full job, e.g. --checkpoint.interval 10s --parallelism 2.");

    private BenchCli() {}

    /** Parsed command line. */
    record Options(BenchPreset preset, GeneratorConfig data, String bootstrap, int partitions, Set<String> phases,
                   double latencyRate, int latencySeconds, Path work, Path report, PulseConfig job, boolean untilFinished, int warmups) {
        /** Whether the measured drains follow warm-up drains. */
        boolean warmup() {
            return warmups > 0;
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options o = parse(args);
        BenchReport report = new Bench(o, out).run();
        out.println();
        out.print(report.table());
        if (o.report() != null) {
            Files.writeString(o.report(), report.markdown());
            out.println("report written to " + o.report());
        }
        return 0;
    }

    static Options parse(String[] args) {
        Map<String, String> x = new HashMap<>();
        PulseConfig job = PulseConfig.fromArgs(List.of(args), System.getenv(), FLAGS, x);
        BenchPreset preset = BenchPreset.parse(x.getOrDefault("preset", "full"));
        GeneratorConfig data = GeneratorConfig.defaults().toBuilder()
                .seed(longFlag(x, "seed", 42))
                .communities((int) longFlag(x, "communities", preset.communities))
                .members((int) longFlag(x, "members", preset.members))
                .eventsTarget(longFlag(x, "events", preset.events))
                .days((int) longFlag(x, "days", preset.days))
                .build();
        Set<String> phases = new LinkedHashSet<>();
        for (String p : x.getOrDefault("phases", ALL_PHASES).split(",")) {
            String t = p.trim().toLowerCase(Locale.ROOT);
            if (!PHASES.contains(t)) throw new UsageException("--phases takes a comma-separated subset of " + ALL_PHASES + " (got '" + p + "')");
            phases.add(t);
        }
        String drainEnd = x.getOrDefault("drain-end", "caught-up");
        if (!drainEnd.equals("caught-up") && !drainEnd.equals("finish")) {
            throw new UsageException("--drain-end takes caught-up or finish (got '" + drainEnd + "')");
        }
        String warmup = x.getOrDefault("warmup", "on");
        int warmups = switch (warmup) {
            case "on" -> 1;
            case "off" -> 0;
            default -> warmup.matches("[0-5]") ? Integer.parseInt(warmup)
                    : failWarmup(warmup);
        };
        return new Options(preset, data, x.get("bootstrap"), (int) longFlag(x, "partitions", 2), phases,
                longFlag(x, "latency-rate", 0), (int) longFlag(x, "latency-seconds", preset.latencySeconds),
                x.containsKey("work") ? Path.of(x.get("work")) : null, x.containsKey("report") ? Path.of(x.get("report")) : null, job,
                drainEnd.equals("finish"), warmups);
    }

    private static int failWarmup(String got) {
        throw new UsageException("--warmup takes on, off or a number of warm-up drains per job from 0 to 5 (got '" + got + "')");
    }

    private static long longFlag(Map<String, String> x, String key, long def) {
        String v = x.get(key);
        if (v == null) return def;
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " takes a non-negative whole number (got '" + v + "')");
        }
    }

    /** No record counter moved for this long (longer than a metric fetch plus a probe poll): the job has caught up. */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** Nothing moved for this long with records still unread: the job is stuck, not slow. */
    static final long STALL_NANOS = TimeUnit.MINUTES.toNanos(5);

    /** One benchmark run: owns the broker and the working directory. */
    static final class Bench {
        private final Options o;
        /** This run's results (the drains read the malformed count from it). */
        private BenchReport results;
        private final PrintStream out;
        private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

        Bench(Options o, PrintStream out) {
            this.o = o;
            this.out = out;
        }

        BenchReport run() throws Exception {
            boolean tempWork = o.work() == null;
            Path work = tempWork ? Files.createTempDirectory("pulse-bench-") : Files.createDirectories(o.work());
            BenchReport report = new BenchReport(o, runId);
            results = report;
            KafkaBroker broker = null;
            try {
                String bootstrap = o.bootstrap();
                long brokerPid = -1;
                if (bootstrap == null) {
                    log("starting Kafka broker in %s ...", work.resolve("kafka"));
                    broker = KafkaBroker.builder().dataDir(work.resolve("kafka")).heap("1g").start();
                    bootstrap = broker.bootstrapServers();
                    brokerPid = broker.pid();
                }
                PulseConfig base = withKey(o.job().with(PulseConfig.BOOTSTRAP.key(), bootstrap), work);
                String in = "bench." + runId + ".";
                Map<String, String> inputs = Map.of("pulse.messages", in + "messages", "pulse.clicks", in + "clicks", "pulse.orders", in + "orders");
                boolean drains = o.phases().contains("full") || o.phases().contains("baseline") || o.phases().contains("sql");
                if (drains) {
                    createTopics(base, inputs.values(), o.partitions());
                    log("producing the data set (%s: %d communities, %d members, ~%d events, %d days) ...",
                            o.preset().id(), o.data().communities(), o.data().members(), o.data().eventsTarget(), o.data().days());
                    long t0 = System.nanoTime();
                    Set<String> members = new HashSet<>();
                    long[] stats = {0, Long.MIN_VALUE};
                    long n = produce(bootstrap, new EventGenerator(o.data()), inputs, 0, null, members, stats);
                    report.malformed(stats[0]);
                    long markers = appendEndMarkers(bootstrap, inputs, o.partitions(), stats[1] + base.millis(PulseConfig.OUT_OF_ORDERNESS) + END_MARKER_MARGIN_MS);
                    log("appended %d end markers (one valid event per input partition just past the data set's last event, so that every watermark passes it)", markers);
                    n += markers;
                    double s = (System.nanoTime() - t0) / 1e9;
                    report.produced(n, s, ProcessStats.loadAverage());
                    report.members(members.size());
                    log("produced %,d records in %.1f s (%.0f records/s)", n, s, n / s);
                }
                PulseConfig withInputs = base.with(PulseConfig.TOPIC_MESSAGES.key(), inputs.get("pulse.messages"))
                        .with(PulseConfig.TOPIC_CLICKS.key(), inputs.get("pulse.clicks"))
                        .with(PulseConfig.TOPIC_ORDERS.key(), inputs.get("pulse.orders"))
                        .with(PulseConfig.BOUNDED.key(), "true")
                        .with(PulseConfig.STARTING_OFFSETS.key(), "earliest")
                        .with(PulseConfig.PROMETHEUS_PORT.key(), "0");
                if (o.warmup() && drains) {
                    warmUp(report, withInputs, work, brokerPid);
                }
                if (o.phases().contains("full")) {
                    PulseConfig cfg = outputsUnder(withInputs, "bench." + runId + ".full.")
                            .with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-full")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-full").toUri().toString());
                    createTopics(cfg, outputTopics(cfg), o.partitions());
                    long pid = brokerPid;
                    phase(report, "full", () -> report.full(drain("full", report.producedRecords(), cfg, work.resolve("rocksdb-full"), pid, (env, jc) -> PulseJob.buildKafka(env, jc))));
                }
                if (o.phases().contains("baseline")) {
                    PulseConfig cfg = withInputs.with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-baseline")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-baseline").toUri().toString());
                    String topic = "bench." + runId + ".baseline.counts";
                    createTopics(cfg, List.of(topic), o.partitions());
                    long pid = brokerPid;
                    phase(report, "baseline", () -> report.baseline(drain("baseline", report.producedRecords(), cfg, work.resolve("rocksdb-baseline"), pid,
                            (env, jc) -> BaselineJob.build(env, jc, topic))));
                }
                if (o.phases().contains("sql")) {
                    PulseConfig cfg = withInputs.with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-sql")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-sql").toUri().toString());
                    String topic = "bench." + runId + ".sql.metrics";
                    createTopics(cfg, List.of(topic), o.partitions());
                    long pid = brokerPid;
                    phase(report, SQL_PEER, () -> report.sql(drain(SQL_PEER, report.producedRecords(), cfg, work.resolve("rocksdb-sql"), pid,
                            sqlPeer(report, topic))));
                }
                if (o.phases().contains("latency")) {
                    double rate = o.latencyRate() > 0 ? o.latencyRate()
                            : report.full() != null ? Math.max(100, 0.5 * report.full().rate()) : 1000;
                    String bs = bootstrap;
                    phase(report, "latency", () -> report.latency(new LatencyRun(o, base, runId, work, bs, rate, out).run()));
                }
                if (o.phases().contains("file")) {
                    phase(report, "file", () -> report.file(fileMode(base, work)));
                }
                return report;
            } finally {
                if (broker != null) {
                    log("stopping the broker");
                    broker.close();
                }
                if (tempWork) Dirs.deleteQuietly(work);
            }
        }

        /**
         * The measured jobs drain the same data once each before they are measured, as JMH warms up
         * before its iterations: a 200,000-event drain lasts under a minute, and in a cold JVM about a
         * third of the process's CPU goes to the JIT compiler (docs/BENCHMARKS.md, "Eighth round").
         * Without it, the full job pays the compilation of the Flink runtime, the Kafka clients and its
         * own operators while the baseline, measured after it in the same JVM, finds most of that
         * compiled. Separate consumer groups, output topics and checkpoint directories; the figures are
         * kept as the report's cold-JVM rows.
         */
        private void warmUp(BenchReport report, PulseConfig withInputs, Path work, long brokerPid) throws Exception {
            for (int i = 1; i <= o.warmups(); i++) {
                // The first warm-up of each job is its cold-JVM figure; later ones only warm further.
                boolean first = i == 1;
                String n = first ? "" : "-" + i;
                String of = o.warmups() == 1 ? "" : " (" + i + " of " + o.warmups() + ")";
                if (o.phases().contains("full")) {
                    PulseConfig cfg = outputsUnder(withInputs, "bench." + runId + ".warmup" + n + ".full.")
                            .with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-warmup" + n + "-full")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-warmup" + n + "-full").toUri().toString());
                    createTopics(cfg, outputTopics(cfg), o.partitions());
                    log("warm-up%s: the full job drains the data set before it is measured (--warmup off skips this)", of);
                    phase(report, "warm-up full", () -> {
                        DrainResult r = drain("full", report.producedRecords(), cfg, work.resolve("rocksdb-warmup" + n + "-full"),
                                brokerPid, (env, jc) -> PulseJob.buildKafka(env, jc));
                        if (first) report.coldFull(r);
                    });
                }
                if (o.phases().contains("baseline")) {
                    PulseConfig cfg = withInputs.with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-warmup" + n + "-baseline")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-warmup" + n + "-baseline").toUri().toString());
                    String topic = "bench." + runId + ".warmup" + n + ".baseline.counts";
                    createTopics(cfg, List.of(topic), o.partitions());
                    log("warm-up%s: the baseline job drains the data set before it is measured", of);
                    phase(report, "warm-up baseline", () -> {
                        DrainResult r = drain("baseline", report.producedRecords(), cfg, work.resolve("rocksdb-warmup" + n + "-baseline"),
                                brokerPid, (env, jc) -> BaselineJob.build(env, jc, topic));
                        if (first) report.coldBaseline(r);
                    });
                }
                if (o.phases().contains("sql")) {
                    PulseConfig cfg = withInputs.with(PulseConfig.GROUP_ID.key(), "bench-" + runId + "-warmup" + n + "-sql")
                            .with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-warmup" + n + "-sql").toUri().toString());
                    String topic = "bench." + runId + ".warmup" + n + ".sql.metrics";
                    createTopics(cfg, List.of(topic), o.partitions());
                    log("warm-up%s: the SQL peer drains the data set before it is measured", of);
                    phase(report, "warm-up " + SQL_PEER, () -> {
                        DrainResult r = drain(SQL_PEER, report.producedRecords(), cfg, work.resolve("rocksdb-warmup" + n + "-sql"),
                                brokerPid, sqlPeer(report, topic));
                        if (first) report.coldSql(r);
                    });
                }
            }
        }

        /** Builds the SQL peer and notes the aggregation operators of its optimised plan in the report. */
        private JobBuilder sqlPeer(BenchReport report, String topic) {
            return (env, jc) -> {
                List<String> plan = SqlPeerJob.build(env, jc, topic);
                report.sqlPlan(plan);
                log("%s: optimised plan aggregates with %s", SQL_PEER, String.join(", ", plan));
            };
        }

        /** Runs one phase; a failure is reported in the table and the other phases still run. */
        private void phase(BenchReport report, String name, Phase p) {
            try {
                p.run();
            } catch (Exception e) {
                Throwable t = e;
                while (t.getCause() != null && t.getCause() != t) t = t.getCause();
                log("%s phase failed: %s", name, t);
                report.failed(name, String.valueOf(t));
            }
        }

        /**
         * Runs one job over the pre-filled topics and samples it while it runs.
         *
         * <p>By default ({@code --drain-end caught-up}) the sources are unbounded, as in production: the drain
         * ends when every produced record has left the sources and no operator has moved a record since (the
         * job has caught up), then a checkpoint commits the last outputs and the job stops with a canonical
         * savepoint, whose size is the live keyed state. A bounded job ({@code --drain-end finish}) ends only
         * after the end of input has pushed the watermark to +∞ and fired every timer of every member, which
         * at 1M members takes longer than the drain itself and is not something a live job ever does.
         */
        private DrainResult drain(String name, long records, PulseConfig cfg, Path rocksDir, long brokerPid, JobBuilder builder) throws Exception {
            int port = Ports.free();
            boolean caughtUp = !o.untilFinished();
            PulseConfig c = cfg.with(PulseConfig.WEB_PORT.key(), Integer.toString(port)).with(PulseConfig.BOUNDED.key(), Boolean.toString(!caughtUp));
            Configuration conf = benchConfiguration(c, caughtUp ? PulseEnvironment.Mode.STREAMING : PulseEnvironment.Mode.BOUNDED, rocksDir);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            builder.build(env, c);
            System.gc();
            double load = ProcessStats.loadAverage();
            log("%s job: starting (load %.2f) ...", name, load);
            long t0 = System.nanoTime();
            long cpu0 = ProcessStats.cpuNanos();
            JobClient client = env.executeAsync(name.equals("full") ? PulseJob.JOB_NAME + " (bench)" : name + " (bench)");
            // The SQL peer's source tasks chain its local aggregation (they write far fewer records than
            // they read) and skip malformed records: count what its source operators emit instead.
            boolean sql = name.equals(SQL_PEER);
            long fromSources = sql ? records - results.malformed() : records;
            try (RestProbe probe = new RestProbe(port, client.getJobID().toString(), sql);
                 ProcessStats stats = new ProcessStats(brokerPid, rocksDir)) {
                Thread progress = progressLogger(name, probe, t0);
                long end;
                long cpuEnd;
                double commitSeconds = -1;
                long savepointBytes = -1;
                long[] half = {Long.MIN_VALUE, 0};
                if (caughtUp) {
                    awaitCaughtUp(name, fromSources, probe, client, half);
                    end = probe.lastMoveNanos();
                    cpuEnd = probe.lastMoveCpuNanos();
                    commitSeconds = commitLastOutputs(name, probe, end);
                    Path sp = rocksDir.resolveSibling("savepoint-" + name);
                    log("%s job: stopping with a canonical savepoint in %s (its size is the live state) ...", name, sp);
                    String path = client.stopWithSavepoint(false, sp.toUri().toString(), SavepointFormatType.CANONICAL).get(2, TimeUnit.HOURS);
                    savepointBytes = ProcessStats.dirBytes(Path.of(URI.create(path.startsWith("file:") ? path : "file://" + path)));
                    client.getJobExecutionResult().get(10, TimeUnit.MINUTES);
                } else {
                    client.getJobExecutionResult().get(6, TimeUnit.HOURS);
                    end = System.nanoTime();
                    cpuEnd = ProcessStats.cpuNanos();
                }
                long cpu = cpuEnd - (probe.firstCpuNanos() == Long.MIN_VALUE ? cpu0 : probe.firstCpuNanos());
                progress.interrupt();
                long first = probe.firstRecordNanos() == Long.MIN_VALUE ? t0 : probe.firstRecordNanos();
                stats.close();
                // Every record up to the end offsets was read: the produced count (the sampled metrics lag).
                DrainResult r = new DrainResult(name, records, (end - first) / 1e9, (first - t0) / 1e9, cpu / 1e9,
                        (load + ProcessStats.loadAverage()) / 2, probe.vertices(), probe.checkpoints(),
                        stats.maxHeap.get(), stats.maxRss.get(), stats.maxBrokerRss.get(), stats.maxDirBytes.get(), caughtUp, commitSeconds, savepointBytes,
                        half[0] == Long.MIN_VALUE ? 0 : fromSources - half[1], half[0] == Long.MIN_VALUE ? 0 : (cpuEnd - half[0]) / 1e9,
                        caughtUp ? probe.jitNanosWhileMoving() / 1e9 : 0);
                log("%s job: %,d records in %.1f s after the sources ran (%.0f records/s; %.0f records per CPU-second; started in %.1f s; load %.2f)",
                        name, r.records(), r.seconds(), r.rate(), r.records() / r.cpuSeconds(), r.startupSeconds(), r.load());
                return r;
            } catch (Exception e) {
                client.cancel();
                throw e;
            }
        }

        /**
         * Waits until every produced record left the sources and no record counter moved for {@link #QUIET_NANOS}.
         * Also notes in {@code half} the process CPU time and the records read when the sources first had half
         * of the input: the second half of a drain is the steady state, past most JIT compilation and start-up.
         */
        private void awaitCaughtUp(String name, long records, RestProbe probe, JobClient client, long[] half) throws Exception {
            while (true) {
                Thread.sleep(1000);
                if (half[0] == Long.MIN_VALUE && probe.sourceRecords() >= records / 2) {
                    half[0] = ProcessStats.cpuNanos();
                    half[1] = probe.sourceRecords();
                }
                JobStatus status = client.getJobStatus().get(30, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    client.getJobExecutionResult().get(1, TimeUnit.MINUTES); // throws the job's failure
                    throw new IllegalStateException(name + " job ended (" + status + ") before it caught up");
                }
                long moved = probe.lastMoveNanos();
                if (moved == Long.MIN_VALUE || System.nanoTime() - moved < QUIET_NANOS) continue;
                if (probe.sourceRecords() >= records) return;
                if (System.nanoTime() - moved > STALL_NANOS) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s job: no record moved for %d s with %,d of %,d records read",
                            name, STALL_NANOS / 1_000_000_000L, probe.sourceRecords(), records));
                }
            }
        }

        /** Triggers a checkpoint (it commits the outputs of every record processed) and returns how long after {@code processedNanos} it completed. */
        private double commitLastOutputs(String name, RestProbe probe, long processedNanos) throws Exception {
            long wallAtProcessed = System.currentTimeMillis() - (System.nanoTime() - processedNanos) / 1_000_000;
            if (!probe.triggerCheckpoint()) log("%s job: could not trigger a checkpoint; waiting for the next periodic one", name);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (System.nanoTime() < deadline) {
                JsonNode latest = probe.latestCompleted();
                if (latest != null && latest.path("trigger_timestamp").asLong() >= wallAtProcessed) {
                    double s = (latest.path("latest_ack_timestamp").asLong() - wallAtProcessed) / 1000.0;
                    log("%s job: caught up; checkpoint %d committed the last outputs %.1f s later", name, latest.path("id").asLong(), s);
                    return s;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException(name + " job: no checkpoint completed within 30 min after it caught up");
        }

        private Thread progressLogger(String name, RestProbe probe, long t0) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(15_000);
                        long in = probe.vertices().stream().filter(v -> v.name.startsWith("Source:")).mapToLong(v -> v.recordsOut).sum();
                        log("%s job: %.0f s, %,d records read, load %.2f", name, (System.nanoTime() - t0) / 1e9, in, ProcessStats.loadAverage());
                    }
                } catch (InterruptedException e) {
                    // done
                }
            }, "bench-progress");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private BenchReport.FileResult fileMode(PulseConfig base, Path work) throws Exception {
            Path in = work.resolve("files-in");
            Path outDir = work.resolve("files-out");
            log("file mode: writing the data set as JSON lines to %s ...", in);
            JsonlWriter.write(o.data(), in);
            long records = 0;
            try (Stream<Path> s = Files.list(in)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                    records += countLines(p);
                }
            }
            PulseConfig cfg = base.with(PulseConfig.CHECKPOINT_DIR.key(), work.resolve("cp-file").toUri().toString())
                    .with(PulseConfig.PROMETHEUS_PORT.key(), "0");
            double load = ProcessStats.loadAverage();
            log("file mode: pulse process over %,d records (load %.2f) ...", records, load);
            long t0 = System.nanoTime();
            PulseJob.runFiles(cfg, in, outDir);
            double s = (System.nanoTime() - t0) / 1e9;
            log("file mode: %.1f s (%.0f records/s)", s, records / s);
            return new BenchReport.FileResult(records, s, (load + ProcessStats.loadAverage()) / 2);
        }

        /** Generated members only, and pseudonymisation belongs in the measurement: a throwaway key when none is configured (as the demo). */
        private PulseConfig withKey(PulseConfig cfg, Path work) throws java.io.IOException {
            PulseConfig keyed = com.communitypulse.privacy.PrivacyKeys.withEphemeralKeyIfMissing(cfg, System.getenv(), work);
            if (keyed == null) {
                return cfg;
            }
            log("no privacy key configured: member ids are pseudonymised with an ephemeral key for this run");
            return keyed;
        }

        private void log(String fmt, Object... args) {
            out.printf(Locale.ROOT, "[bench %tT] " + fmt + "%n", prepend(System.currentTimeMillis(), args));
        }
    }

    /** One phase of the run. */
    interface Phase {
        void run() throws Exception;
    }

    /** Builds a job on an environment with the configuration of this drain (bounded or not). */
    interface JobBuilder {
        void build(StreamExecutionEnvironment env, PulseConfig cfg) throws Exception;
    }

    /**
     * The job's own configuration ({@link PulseEnvironment#configuration}) plus what the benchmark
     * needs to observe it: REST metrics refreshed every second and RocksDB working files under
     * {@code rocksDir}, so that their size can be measured.
     */
    static Configuration benchConfiguration(PulseConfig cfg, PulseEnvironment.Mode mode, Path rocksDir) {
        Configuration conf = PulseEnvironment.configuration(cfg, mode);
        // Task metrics for the busy/back-pressure table and the end of a caught-up drain; every fetch costs
        // the job CPU, so not more often than the probe polls.
        conf.setString("metrics.fetcher.update-interval", "1000");
        // The REST API caches job details (status, record counts) this long; the probe polls every second.
        conf.setString("web.refresh-interval", "1000");
        conf.setString("state.backend.rocksdb.localdir", rocksDir.toAbsolutePath().toString());
        return conf;
    }

    /** Every output topic of the job under {@code prefix}. */
    static PulseConfig outputsUnder(PulseConfig cfg, String prefix) {
        return cfg.with(PulseConfig.TOPIC_METRICS.key(), prefix + "metrics")
                .with(PulseConfig.TOPIC_LIFECYCLE.key(), prefix + "lifecycle")
                .with(PulseConfig.TOPIC_ALERTS.key(), prefix + "alerts")
                .with(PulseConfig.TOPIC_DLQ.key(), prefix + "dlq")
                .with(PulseConfig.TOPIC_LATE.key(), prefix + "late");
    }

    static List<String> outputTopics(PulseConfig cfg) {
        List<String> t = new ArrayList<>();
        for (OutputTopic o : OutputTopic.values()) t.add(o.topic(cfg));
        return t;
    }

    static void createTopics(PulseConfig cfg, java.util.Collection<String> topics, int partitions) {
        Map<String, Integer> m = new LinkedHashMap<>();
        topics.forEach(t -> m.put(t, partitions));
        Map<String, Map<String, String>> configs = new HashMap<>();
        topics.forEach(t -> configs.put(t, Map.of("retention.ms", "-1")));
        TopicAdmin.createTopics(KafkaConnections.clientProperties(cfg), m, configs);
    }

    /**
     * Produces every generated record to the mapped topic. With {@code rate > 0} paces to that many
     * records per second and records each record's event time and send time into {@code sent}.
     */
    /**
     * Produces the generator's records (at {@code rate} per second, 0 = as fast as possible); collects
     * the distinct {@code user_id}s of the valid records into {@code members} unless null (state per member
     * is divided by the members that really occur: with few events per member many never act).
     */
    static long produce(String bootstrap, EventGenerator g, Map<String, String> topics, double rate, SendLog sent, Set<String> members) {
        return produce(bootstrap, g, topics, rate, sent, members, new long[2]);
    }

    /** As above; counts the malformed records among them into {@code stats[0]} and keeps the largest event time in {@code stats[1]}. */
    static long produce(String bootstrap, EventGenerator g, Map<String, String> topics, double rate, SendLog sent, Set<String> members, long[] stats) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", "lz4");
        p.put("linger.ms", rate > 0 ? "2" : "20");
        p.put("batch.size", String.valueOf(256 * 1024));
        p.put("delivery.timeout.ms", "180000");
        p.put("request.timeout.ms", "60000");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long n = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (g.hasNext() && failure.get() == null) {
                GeneratedRecord r = g.next();
                if (rate > 0) {
                    long due = start + (long) (n / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
                if (r.kind() == GeneratedRecord.Kind.MALFORMED) stats[0]++;
                else if (stats.length > 1) stats[1] = Math.max(stats[1], r.timestamp());
                if (sent != null && r.kind() != GeneratedRecord.Kind.MALFORMED) sent.add(r.timestamp(), System.currentTimeMillis());
                if (members != null && r.kind() != GeneratedRecord.Kind.MALFORMED) {
                    String user = userId(r.value());
                    if (user != null) members.add(user);
                }
                producer.send(new ProducerRecord<>(topics.get(r.topic()), null, r.timestamp(), r.key(), r.value()), (md, ex) -> {
                    if (ex != null) failure.compareAndSet(null, ex);
                });
                n++;
            }
            producer.flush();
        }
        if (failure.get() != null) throw new IllegalStateException("producing to Kafka failed: " + failure.get().getMessage(), failure.get());
        return n;
    }

    /** How far past the data set's last event (plus the out-of-orderness) the end markers are. */
    static final long END_MARKER_MARGIN_MS = 60_000;

    /**
     * Appends one valid event at {@code ts} to every partition of every input topic (a reaction, a view and
     * a zero-amount order of member {@code bench-end} in community {@code bench-end}), so that every
     * partition's watermark passes the data set's last event: the jobs then release every held event and
     * fire the last minute windows at once. Without them a partition whose data ends earlier holds the
     * watermark back until {@code watermark.idleness} (30 s) marks it idle, and a drain ends either before
     * that (its last events unprocessed) or half a minute of idling later (seen: the same job drained in
     * 14 s and in 47 s). Returns the markers written.
     */
    static long appendEndMarkers(String bootstrap, Map<String, String> topics, int partitions, long ts) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        long n = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int part = 0; part < partitions; part++) {
                for (Map.Entry<String, byte[]> e : endMarkers(part, ts).entrySet()) {
                    producer.send(new ProducerRecord<>(topics.get(e.getKey()), part, ts, "bench-end".getBytes(StandardCharsets.UTF_8), e.getValue()));
                    n++;
                }
            }
            producer.flush();
        }
        return n;
    }

    /** The end markers of one partition, per input topic (pulse.messages, pulse.clicks, pulse.orders). */
    static Map<String, byte[]> endMarkers(int partition, long ts) {
        String id = "bench-end-" + partition;
        return Map.of(
                "pulse.messages", utf8("{\"event_id\":\"" + id + "-m\",\"community_id\":\"bench-end\",\"user_id\":\"bench-end\",\"kind\":\"reaction\",\"ts\":" + ts + "}"),
                "pulse.clicks", utf8("{\"event_id\":\"" + id + "-c\",\"community_id\":\"bench-end\",\"user_id\":\"bench-end\",\"kind\":\"view\",\"item_id\":\"bench-end\",\"ts\":" + ts + "}"),
                "pulse.orders", utf8("{\"event_id\":\"" + id + "-o\",\"order_id\":\"" + id + "-o\",\"community_id\":\"bench-end\",\"user_id\":\"bench-end\",\"status\":\"paid\",\"amount_minor\":0,\"currency\":\"CNY\",\"ts\":" + ts + "}"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] USER_FIELD = "\"user_id\":\"".getBytes(StandardCharsets.UTF_8);

    /** The {@code user_id} of a generated (compact JSON) record, without parsing the whole record. */
    static String userId(byte[] json) {
        outer:
        for (int i = 0; i + USER_FIELD.length <= json.length; i++) {
            for (int k = 0; k < USER_FIELD.length; k++) {
                if (json[i + k] != USER_FIELD[k]) continue outer;
            }
            int start = i + USER_FIELD.length;
            int end = start;
            while (end < json.length && json[end] != '"') end++;
            return new String(json, start, end - start, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Event time and wall-clock send time of every produced record, in send order. */
    static final class SendLog {
        private long[] ts = new long[1 << 16];
        private long[] wall = new long[1 << 16];
        private long[] prefixMaxTs;
        private int n;

        synchronized void add(long eventTs, long wallMillis) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                wall = Arrays.copyOf(wall, n * 2);
            }
            ts[n] = eventTs;
            wall[n++] = wallMillis;
        }

        /** Call once producing is done. */
        synchronized void seal() {
            prefixMaxTs = new long[n];
            long m = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                m = Math.max(m, ts[i]);
                prefixMaxTs[i] = m;
            }
        }

        /** Wall time at which the stream first reached event time {@code t} (the first record with ts ≥ t), or -1. */
        synchronized long wallWhenReached(long t) {
            int lo = 0, hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (prefixMaxTs[mid] >= t) hi = mid; else lo = mid + 1;
            }
            return lo < n ? wall[lo] : -1;
        }

        synchronized long firstWall() {
            return n == 0 ? -1 : wall[0];
        }

        synchronized long lastWall() {
            return n == 0 ? -1 : wall[n - 1];
        }

        synchronized int size() {
            return n;
        }
    }

    /** Newlines in a file, byte-wise (malformed records are not valid UTF-8). */
    static long countLines(Path p) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(p)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') n++;
                }
            }
        }
        return n;
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] a = new Object[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }
}
