package com.communitypulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.flink.FlinkCluster;
import com.communitypulse.connectors.flink.FlinkRest;
import com.communitypulse.connectors.flink.FlinkRest.FlinkRestException;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import com.communitypulse.generator.GroundTruth;
import com.communitypulse.generator.JsonlWriter;
import com.communitypulse.generator.PoisonRecords;
import com.communitypulse.job.OutputTopic;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.ClusterRuns;
import com.communitypulse.testutils.MetricsRecount;
import com.communitypulse.testutils.Outputs;
import com.communitypulse.testutils.UpgradedJobJar;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Exactly-once under real failures: the shaded job jar on a real standalone Flink cluster (one
 * JobManager, two TaskManagers with two slots each, every one its own JVM) against a real Kafka
 * broker, with processes killed by {@code kill -9}, the broker frozen by SIGSTOP, upgrades through
 * savepoints and a flood of poison input. Every scenario replays the same generated data set (its
 * own topic prefix, consumer group and transactional ids on the shared broker and cluster) and is
 * judged the same way: a read_committed consumer reads all outputs, and they must equal the
 * independent {@link MetricsRecount} (window metrics, every event counted once) and the outputs of
 * the undisturbed run (all metrics, alerts, lifecycle), with no record twice (alerts, at-least-once
 * by contract, may repeat an alert but never reuse its id for another).
 *
 * <p>Runs never end by themselves (unbounded Kafka sources): once the job's committed offsets reach
 * the end of the input, {@code stop --drain} ends it the way the end of a bounded input would
 * (MAX_WATERMARK fires every window and timer). Measured times go to
 * {@code target/cluster-fault-report.txt}; the only time asserted is the 60 s recovery bound.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultToleranceITCase {
    static final int EVENTS = Integer.getInteger("pulse.cluster.events", 20_000);
    static final int POISON = Integer.getInteger("pulse.cluster.poison", 100_000);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);
    static final String ENTRY = PulseJob.class.getName();
    static final String UPGRADED_ENTRY = "com.communitypulse.job.UpgradedPulseJob";
    /** The golden savepoint of this release, restored by {@link #shouldRestoreGoldenSavepointOfThisRelease}. */
    static final Path GOLDEN = Path.of("src/test/resources/golden-savepoint/0.1.0");

    static final Path REPORT = Path.of("target", "cluster-fault-report.txt");
    static Path work;
    static KafkaBroker broker;
    static FlinkCluster cluster;
    static Path jobJar;
    static String jarId;
    static GroundTruth truth;
    static List<GeneratedRecord> records;
    static MetricsRecount recount;
    /** Outputs of the one run without restarts (the poison run): what every disturbed run must equal. */
    static Outputs reference;
    static final List<String> report = new ArrayList<>();

    /** Failures go to the report at once too: the scenarios share one long run. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher FAILURES = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext ctx, Throwable cause) {
            String msg = String.valueOf(cause.getMessage()).strip();
            note("FAILED %s: %s", ctx.getDisplayName(), msg.length() > 600 ? msg.substring(0, 600) + " ..." : msg);
        }
    };

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        work = Path.of("target", "cluster-it").toAbsolutePath();
        com.communitypulse.launcher.Dirs.deleteQuietly(work);
        Files.createDirectories(work);
        jobJar = findJobJar();
        GeneratorConfig gc = GeneratorConfig.builder().seed(11).communities(20).members(Math.max(800, EVENTS / 25)).days(2)
                .eventsTarget(EVENTS).lateByMs(6 * 3_600_000L).build();
        Path in = work.resolve("in");
        truth = JsonlWriter.write(gc, in);
        records = new ArrayList<>();
        new EventGenerator(gc).forEachRemaining(records::add);
        recount = new MetricsRecount(in, new HashSet<>(truth.lateEventIds()), 60_000, 8 * 3_600_000L, 60_000, 86_400_000L, 90 * 86_400_000L);

        long t0 = System.nanoTime();
        broker = KafkaBroker.builder().heap("512m").start();
        // Two slots each: a job at parallelism 2 uses one slot on each TaskManager, and the survivor of a
        // kill has room for the whole job (as a production cluster keeps spare capacity).
        cluster = FlinkCluster.builder().dir(work.resolve("flink")).taskManagers(2).slotsPerTaskManager(2).start();
        jarId = cluster.rest().uploadJar(jobJar);
        note("setup: %d events (%d good unique, %d malformed, %d late); broker + cluster (JM + 2 TMs) up and jar uploaded in %.1f s",
                records.size(), truth.total(GroundTruth.TopicCounts::goodUnique), truth.total(GroundTruth.TopicCounts::malformed),
                truth.lateEventIds().size(), secondsSince(t0));
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (cluster != null) cluster.close();
        if (broker != null) broker.close();
        Files.write(REPORT, report, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void shouldDeadLetterPoisonFloodWithoutRestartWhenBadRecordsAreInterleavedWithGood() throws Exception {
        long t0 = System.nanoTime();
        List<GeneratedRecord> poison = PoisonRecords.generate(99, POISON, truth.startTs(), truth.endTs());
        EventParser parser = new EventParser();
        for (GeneratedRecord p : poison) {
            EventType type = EventType.valueOf(p.topic().substring("pulse.".length(), p.topic().length() - 1).toUpperCase());
            assertThat(parser.parse(type, p.value(), p.topic(), 0, 0).isEvent()).as("poison record %s must be rejected", p.eventId()).isFalse();
        }
        String prefix = "poison";
        ClusterRuns.createTopics(broker, prefix);
        ClusterRuns.produce(broker.bootstrapServers(), prefix, PoisonRecords.interleave(records, poison));
        String job = submit(prefix, 2, null, ENTRY);
        rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        long restarts = rest().numRestarts(job);
        Outputs out = drainAndRead(job, prefix);

        assertThat(restarts).as("restarts while reading poison input").isZero();
        verifyAgainstRecount(out, POISON);
        // Every bad record, byte for byte: the planted malformed records of the data set plus the flood.
        List<String> expectedRaw = new ArrayList<>();
        records.stream().filter(r -> r.kind() == GeneratedRecord.Kind.MALFORMED).forEach(r -> expectedRaw.add(base64(r.value())));
        poison.forEach(p -> expectedRaw.add(base64(p.value())));
        List<String> actualRaw = new ArrayList<>();
        out.topic("pulse.dlq").forEach(d -> actualRaw.add(d.get("raw_base64").asText()));
        expectedRaw.sort(null);
        actualRaw.sort(null);
        assertThat(actualRaw.equals(expectedRaw)).as("dead letters are exactly the bad records").isTrue();
        reference = out;
        note("poison: %d bad records interleaved with %d, 0 restarts, all dead-lettered with a reason; %.1f s", POISON, records.size(), secondsSince(t0));
    }

    @Test
    @Order(2)
    void shouldRecoverWithoutLossOrDuplicatesWhenTaskManagerIsKilledThreeTimes() throws Exception {
        long t0 = System.nanoTime();
        String prefix = "tmkill";
        ClusterRuns.createTopics(broker, prefix);
        String job = submit(prefix, 2, null, ENTRY);
        rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        List<List<GeneratedRecord>> parts = split(records, 4);
        List<String> times = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(kill));
            // Kill while the job is busy with this part, once at least one checkpoint covers some of it.
            awaitNextCheckpoint(job);
            long pid = cluster.killTaskManager(0);
            long killedAt = System.nanoTime();
            // The supervisor's replacement starts alongside; the job may recover on the survivor's spare slot first.
            var replacement = java.util.concurrent.CompletableFuture.runAsync(cluster::startTaskManager);
            // Until the JobManager notices the loss the old tasks still look RUNNING: wait for the restart first.
            awaitDisruption(job);
            double detected = secondsSince(killedAt);
            Duration recovery = rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
            Duration total = Duration.ofNanos(System.nanoTime() - killedAt);
            replacement.get(4, java.util.concurrent.TimeUnit.MINUTES);
            times.add(String.format("%.1f s", total.toMillis() / 1000.0));
            note("tm-kill %d: kill -9 TaskManager pid %d -> failover noticed after %.1f s, all tasks RUNNING again after %.1f s", kill + 1, pid,
                    detected, total.toMillis() / 1000.0);
            assertThat(total).isLessThanOrEqualTo(RECOVERY_BOUND);
            assertThat(recovery).isNotNull();
        }
        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(3));
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        long restarts = rest().numRestarts(job);
        Outputs out = drainAndRead(job, prefix);
        verifyAgainstRecount(out, 0);
        verifyEqualsReference(out);
        assertThat(restarts).isGreaterThanOrEqualTo(3);
        note("tm-kill: recoveries %s, %d restarts, outputs equal recount and reference; %.1f s", times, restarts, secondsSince(t0));
    }

    @Test
    @Order(3)
    void shouldResumeFromLatestRetainedCheckpointWhenWholeClusterIsKilled() throws Exception {
        long t0 = System.nanoTime();
        String prefix = "crash";
        ClusterRuns.createTopics(broker, prefix);
        String job = submit(prefix, 2, null, ENTRY);
        rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        List<List<GeneratedRecord>> parts = split(records, 2);
        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(0));
        awaitNextCheckpoint(job);
        awaitNextCheckpoint(job);
        cluster.killAll();
        long killedAt = System.nanoTime();
        Path checkpoint = latestRetainedCheckpoint(checkpoints(prefix).resolve(job));
        cluster.restart();
        jarId = cluster.rest().uploadJar(jobJar);
        String resumed = submit(prefix, 2, checkpoint.toUri().toString(), ENTRY);
        rest().awaitAllTasksRunning(resumed, RECOVERY_BOUND);
        double recovery = secondsSince(killedAt);
        note("crash: kill -9 of JobManager + both TaskManagers, new cluster started and job resubmitted from %s -> all tasks RUNNING after %.1f s",
                work.relativize(checkpoint), recovery);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThanOrEqualTo(RECOVERY_BOUND.multipliedBy(2));
        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(1));
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        Outputs out = drainAndRead(resumed, prefix);
        verifyAgainstRecount(out, 0);
        verifyEqualsReference(out);
        note("crash: outputs equal recount and reference; %.1f s", secondsSince(t0));
    }

    @Test
    @Order(4)
    void shouldLoseNothingWhenBrokerIsFrozenForThirtySeconds() throws Exception {
        long t0 = System.nanoTime();
        String prefix = "freeze";
        ClusterRuns.createTopics(broker, prefix);
        String job = submit(prefix, 2, null, ENTRY);
        rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        List<List<GeneratedRecord>> parts = split(records, 2);
        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(0));
        awaitNextCheckpoint(job);
        broker.signal("STOP");
        try {
            Thread.sleep(30_000);
        } finally {
            broker.signal("CONT");
        }
        long continuedAt = System.nanoTime();
        Duration back = rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        note("freeze: broker SIGSTOP 30 s, SIGCONT -> all tasks RUNNING %.1f s later, %d restarts", back.toMillis() / 1000.0, rest().numRestarts(job));
        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(1));
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        Outputs out = drainAndRead(job, prefix);
        verifyAgainstRecount(out, 0);
        verifyEqualsReference(out);
        note("freeze: outputs equal recount and reference; %.1f s (after SIGCONT %.1f s)", secondsSince(t0), secondsSince(continuedAt));
    }

    @Test
    @Order(5)
    void shouldKeepStateAndAlertIdsWhenUpgradedFromSavepointAtParallelismTwoToOneToTwo() throws Exception {
        long t0 = System.nanoTime();
        String prefix = "upgrade";
        ClusterRuns.createTopics(broker, prefix);
        String upgradedJar = rest().uploadJar(UpgradedJobJar.build(jobJar, work.resolve("upgraded")));
        List<List<GeneratedRecord>> parts = split(records, 3);

        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(0));
        String v1 = submit(prefix, 2, null, ENTRY);
        String sp1 = stopAfterInput(v1, prefix);

        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(1));
        String v2 = rest().run(upgradedJar, UPGRADED_ENTRY, 1, args(prefix, 1), sp1, false);
        String sp2 = stopAfterInput(v2, prefix);

        ClusterRuns.produce(broker.bootstrapServers(), prefix, parts.get(2));
        String v3 = rest().run(upgradedJar, UPGRADED_ENTRY, 2, args(prefix, 2), sp2, false);
        rest().awaitAllTasksRunning(v3, RECOVERY_BOUND);
        assertThat(rest().job(v3).path("vertices").toString()).contains("Alert audit");
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        Outputs out = drainAndRead(v3, prefix);
        verifyAgainstRecount(out, 0);
        verifyEqualsReference(out);
        note("upgrade: v1 p2 -> savepoint -> upgraded (evolved SpikeBaseline POJO + added operator) p1 -> savepoint -> upgraded p2;"
                + " state intact, alert ids identical to the reference run; %.1f s", secondsSince(t0));
    }

    /**
     * The golden savepoint of release 0.1.0 holds the state of three window operators
     * ({@code window-metrics-0/1/2}) that 0.2.0 replaced by one heap-based operator for all
     * granularities (see docs/OPERATIONS.md, Upgrading from 0.1.0 state). Flink must refuse that restore, naming the
     * option that would drop the windows, rather than start with metrics silently missing.
     */
    @Test
    @Order(6)
    void shouldRefuseGoldenSavepointOfReleaseZeroOneNamingTheOption() throws Exception {
        long t0 = System.nanoTime();
        String prefix = "golden";
        ClusterRuns.createTopics(broker, prefix);
        assertThat(GOLDEN.resolve("_metadata")).as("golden savepoint of 0.1.0").exists();
        String failure;
        try {
            String job = submit(prefix, 2, GOLDEN.toAbsolutePath().toUri().toString(), ENTRY);
            assertThat(rest().awaitTerminal(job, STEP_TIMEOUT)).isEqualTo("FAILED");
            failure = rest().rootExceptionTrace(job);
        } catch (FlinkRestException e) {
            failure = e.getMessage() + "\n" + e.body();
        }
        // Flink names the operator by its hashed id, not the uid; the option is what a user needs.
        assertThat(failure).contains("Cannot map checkpoint/savepoint state").contains("allowNonRestoredState");
        note("golden: 0.1.0 savepoint refused with Flink's message naming --allowNonRestoredState; %.1f s", secondsSince(t0));
    }

    // ---------------------------------------------------------------- helpers

    private static FlinkRest rest() {
        return cluster.rest();
    }

    private static List<String> args(String prefix, int parallelism) {
        return ClusterRuns.jobArgs(broker.bootstrapServers(), prefix, checkpoints(prefix), work.resolve("savepoints"), parallelism);
    }

    private static String submit(String prefix, int parallelism, String savepoint, String entry) {
        return rest().run(jarId, entry, parallelism, args(prefix, parallelism), savepoint, false);
    }

    private static Path checkpoints(String prefix) {
        return work.resolve("checkpoints").resolve(prefix);
    }

    /** Waits until the job has read all input so far, then stop-with-savepoint (no drain); returns the savepoint. */
    private static String stopAfterInput(String job, String prefix) throws Exception {
        rest().awaitAllTasksRunning(job, RECOVERY_BOUND);
        ClusterRuns.awaitInputConsumed(broker.bootstrapServers(), prefix, STEP_TIMEOUT);
        String sp = rest().stopWithSavepoint(job, work.resolve("savepoints").toUri().toString(), false, STEP_TIMEOUT);
        assertThat(rest().awaitTerminal(job, STEP_TIMEOUT)).isEqualTo("FINISHED");
        return sp;
    }

    private static Outputs drainAndRead(String job, String prefix) {
        rest().stopWithSavepoint(job, work.resolve("savepoints").toUri().toString(), true, STEP_TIMEOUT);
        assertThat(rest().awaitTerminal(job, STEP_TIMEOUT)).isEqualTo("FINISHED");
        return ClusterRuns.readCommitted(broker.bootstrapServers(), prefix);
    }

    /** Waits until the job no longer has all tasks running (it noticed the loss and is failing over). */
    private static void awaitDisruption(String job) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_BOUND.toNanos();
        while (rest().allTasksRunning(job)) {
            if (System.nanoTime() > deadline) throw new AssertionError("the job did not notice the killed TaskManager within " + RECOVERY_BOUND);
            Thread.sleep(100);
        }
    }

    private static void awaitNextCheckpoint(String job) throws InterruptedException {
        long before = rest().completedCheckpoints(job);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (rest().completedCheckpoints(job) <= before) {
            if (System.nanoTime() > deadline) throw new AssertionError("no checkpoint completed within " + STEP_TIMEOUT);
            Thread.sleep(200);
        }
    }

    /** {@code <checkpoint.dir>/<job id>/chk-N} with the highest N that has its {@code _metadata}: what an operator would resume from. */
    private static Path latestRetainedCheckpoint(Path jobDir) throws IOException {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobDir));
        }
    }

    /** Window metrics equal the recount; every good event counted once; dead letters and late events complete; nothing twice. */
    private static void verifyAgainstRecount(Outputs out, long extraDeadLetters) {
        List<JsonNode> dlq = out.topic("pulse.dlq");
        assertThat(dlq).hasSize((int) (truth.total(GroundTruth.TopicCounts::malformed) + extraDeadLetters));
        assertThat(dlq).allSatisfy(d -> assertThat(d.path("reason").asText()).isNotBlank());
        List<String> late = new ArrayList<>();
        out.topic("pulse.late").forEach(l -> late.add(l.get("event").get("event_id").asText()));
        assertThat(late).containsExactlyInAnyOrderElementsOf(truth.lateEventIds());

        Map<String, Map<String, Double>> expected = recount.windows("PT1M");
        Map<String, Map<String, Double>> actual = new TreeMap<>();
        long windowed = 0;
        for (Map.Entry<String, JsonNode> e : out.latestMetrics().entrySet()) {
            JsonNode m = e.getValue();
            if (!m.get("kind").asText().equals("window")) continue;
            actual.put(e.getKey(), Outputs.values(m)); // the recount has every granularity (1 min, 1 h, 1 day)
            if (m.get("community_id").asText().equals("*") && m.get("window").asText().equals("P1D")) {
                JsonNode v = m.get("metrics");
                for (String k : List.of("messages", "reactions", "shares", "joins", "leaves", "views", "clicks", "add_to_carts", "orders", "refunds")) {
                    windowed += v.get(k).asLong();
                }
            }
        }
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> diffs = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) diffs.add(k + "\n  expected " + v + "\n  actual   " + actual.get(k));
        });
        assertThat(diffs).as("window metrics differing from the recount (lost or duplicated events)").isEmpty();
        assertThat(windowed).as("events counted in daily totals").isEqualTo(truth.total(GroundTruth.TopicCounts::goodUnique));

        assertNoDuplicates(out);
    }

    /**
     * Exactly-once: no metric revision or lifecycle transition appears twice. Alerts are at-least-once
     * by default (CONTRACT §9, {@link OutputTopic#ALERTS}): a restore may send an alert again and consumers
     * de-duplicate on alert_id, so what must hold there is that every copy of an id is the same alert.
     */
    private static void assertNoDuplicates(Outputs out) {
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode m : out.topic("pulse.metrics")) {
            seen.merge(m.toString(), 1, Integer::sum);
        }
        assertThat(seen.values().stream().filter(n -> n > 1).count()).as("duplicated metric records").isZero();
        boolean alertsExactlyOnce = OutputTopic.ALERTS.guarantee(PulseConfig.defaults()) == DeliveryGuarantee.EXACTLY_ONCE;
        Map<String, String> alerts = new HashMap<>();
        for (JsonNode a : out.topic("pulse.alerts")) {
            String alert = alertKey(a);
            String first = alerts.putIfAbsent(a.get("alert_id").asText(), alert);
            if (alertsExactlyOnce) {
                assertThat(first).as("alert emitted twice: %s", a).isNull();
            } else {
                assertThat(first == null || first.equals(alert)).as("alert id %s names two alerts: %s and %s", a.get("alert_id"), first, alert).isTrue();
            }
        }
        Set<String> transitions = new HashSet<>();
        for (JsonNode l : out.topic("pulse.lifecycle")) {
            assertThat(transitions.add(l.toString())).as("lifecycle transition emitted twice: %s", l).isTrue();
        }
    }

    /** All metrics (every kind), alerts by id/type/state, and lifecycle transitions equal the undisturbed run. */
    private static void verifyEqualsReference(Outputs out) {
        assertThat(reference).as("the poison run (reference) must run first").isNotNull();
        assertThat(latestValues(out)).isEqualTo(latestValues(reference));
        assertThat(alertKeys(out)).isEqualTo(alertKeys(reference));
        assertThat(new TreeSet<>(strings(out.topic("pulse.lifecycle")))).isEqualTo(new TreeSet<>(strings(reference.topic("pulse.lifecycle"))));
    }

    private static Map<String, Map<String, Double>> latestValues(Outputs o) {
        Map<String, Map<String, Double>> m = new TreeMap<>();
        o.latestMetrics().forEach((k, v) -> m.put(k, Outputs.values(v)));
        return m;
    }

    /** Alerts compared as in PipelineRecountITCase: member/churn evidence may count re-keyed replies in another order. */
    private static Set<String> alertKeys(Outputs o) {
        Set<String> s = new TreeSet<>();
        o.topic("pulse.alerts").forEach(a -> s.add(alertKey(a)));
        return s;
    }

    private static String alertKey(JsonNode a) {
        return a.get("alert_id").asText() + " " + a.get("type").asText() + " " + a.path("state").asText()
                + " " + a.get("community_id").asText() + " " + a.path("user_id").asText() + " " + a.get("event_ts").asLong();
    }

    private static List<String> strings(List<JsonNode> nodes) {
        List<String> l = new ArrayList<>();
        nodes.forEach(n -> l.add(n.toString()));
        return l;
    }

    private static String base64(byte[] b) {
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    private static <T> List<List<T>> split(List<T> all, int n) {
        List<List<T>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(all.subList(all.size() * i / n, all.size() * (i + 1) / n));
        }
        return parts;
    }

    private static Path findJobJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-job.jar: run 'mvn verify' (the jar is built by package)"))
                    .toAbsolutePath();
        }
    }

    private static void note(String format, Object... args) {
        String line = String.format(format, args);
        report.add(line);
        System.out.println("[cluster-it] " + line);
        try {
            // Written as it goes: a long run can be followed from outside.
            Files.write(REPORT, report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
