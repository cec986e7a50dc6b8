package com.communitypulse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.flink.FlinkCluster;
import com.communitypulse.connectors.flink.FlinkRest;
import com.communitypulse.connectors.kafka.KafkaBroker;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.ClusterRuns;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's configuration wins (docs/OPERATIONS.md, Where settings come from): the shaded job jar on a real
 * standalone cluster whose config.yaml sets a checkpoint directory, interval, state backend and
 * restart strategy, submitted through the REST API like any job. Without job flags the running job
 * uses the cluster's values (read back from the job's REST endpoints and the path of a completed
 * checkpoint); with {@code --checkpoint.dir}/{@code --checkpoint.interval} the flags win.
 */
class ClusterConfigITCase {
    static Path work;
    static KafkaBroker broker;
    static FlinkCluster cluster;
    static String jarId;
    static Path clusterCheckpoints;

    @BeforeAll
    static void start() throws Exception {
        work = Path.of("target", "cluster-config-it").toAbsolutePath();
        com.communitypulse.launcher.Dirs.deleteQuietly(work);
        Files.createDirectories(work);
        clusterCheckpoints = work.resolve("ops-checkpoints");
        broker = KafkaBroker.builder().heap("256m").start();
        cluster = FlinkCluster.builder().dir(work.resolve("flink")).taskManagers(1).slotsPerTaskManager(2)
                .config("execution.checkpointing.dir", clusterCheckpoints.toUri().toString())
                .config("execution.checkpointing.interval", "1500 ms")
                .config("state.backend.type", "hashmap")
                .config("restart-strategy.type", "fixed-delay")
                .config("restart-strategy.fixed-delay.attempts", "7")
                .config("restart-strategy.fixed-delay.delay", "3 s")
                .start();
        jarId = cluster.rest().uploadJar(findJobJar());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        if (broker != null) broker.close();
    }

    @Test
    void shouldRunWithTheClustersCheckpointDirIntervalStateBackendAndRestartsWhenTheJobPassesNone() {
        String prefix = "clusterconf";
        String job = submit(prefix, withoutEngineFlags(args(prefix)));
        try {
            JsonNode cp = rest().checkpointConfig(job);
            assertThat(cp.path("interval").asLong()).as("checkpoint interval, ms: " + cp).isEqualTo(1500);
            assertThat(cp.path("state_backend").asText()).as(cp.toString()).containsIgnoringCase("hashmap");
            // Where the cluster is silent the job's defaults still apply: retained on cancellation.
            assertThat(cp.path("externalization").path("delete_on_cancellation").asBoolean(true)).as(cp.toString()).isFalse();
            JsonNode exec = rest().jobConfig(job).path("execution-config");
            assertThat(exec.path("restart-strategy").asText()).as(exec.toString()).containsIgnoringCase("fixed").contains("7");
            assertThat(awaitCheckpointPath(job)).startsWithRaw(clusterCheckpoints.resolve(job));
        } finally {
            rest().cancel(job);
        }
    }

    @Test
    void shouldApplyJobFlagsTheUserPassedOverTheClustersValues() {
        String prefix = "flagswin";
        Path mine = work.resolve("my-checkpoints");
        List<String> a = withoutEngineFlags(args(prefix));
        a.addAll(List.of("--checkpoint.dir", mine.toUri().toString(), "--checkpoint.interval", "1s"));
        String job = submit(prefix, a);
        try {
            JsonNode cp = rest().checkpointConfig(job);
            assertThat(cp.path("interval").asLong()).as(cp.toString()).isEqualTo(1000);
            assertThat(cp.path("state_backend").asText()).as("the cluster's backend: no flag names one").containsIgnoringCase("hashmap");
            assertThat(awaitCheckpointPath(job)).startsWithRaw(mine.resolve(job));
        } finally {
            rest().cancel(job);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static FlinkRest rest() {
        return cluster.rest();
    }

    private static List<String> args(String prefix) {
        ClusterRuns.createTopics(broker, prefix);
        return ClusterRuns.jobArgs(broker.bootstrapServers(), prefix, work.resolve("unused-cp"), work.resolve("savepoints"), 1);
    }

    /** The shared run arguments without the engine flags the fault tests pass. */
    private static List<String> withoutEngineFlags(List<String> args) {
        Set<String> engine = Set.of("--checkpoint.dir", "--checkpoint.interval", "--savepoint.dir");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!engine.contains(args.get(i))) {
                out.add(args.get(i));
                out.add(args.get(i + 1));
            }
        }
        return out;
    }

    private static String submit(String prefix, List<String> args) {
        String job = rest().run(jarId, PulseJob.class.getName(), 1, args, null, false);
        rest().awaitAllTasksRunning(job, Duration.ofMinutes(2));
        return job;
    }

    /**
     * The local directory of the job's latest completed checkpoint (Flink reports it as a file: URI).
     * Compared with {@code startsWithRaw}: AssertJ's {@code startsWith} resolves the real path, and a
     * newer checkpoint may already have deleted this one.
     */
    private static Path awaitCheckpointPath(String job) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            String p = rest().latestCheckpoint(job);
            if (p != null) return Path.of(java.net.URI.create(p));
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no completed checkpoint of " + job + " within 60 s: " + rest().rootException(job));
    }

    private static Path findJobJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/*-job.jar: run 'mvn verify' (the jar is built by package)"))
                    .toAbsolutePath();
        }
    }
}
