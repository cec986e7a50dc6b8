package com.communitypulse.cli;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.connectors.flink.FlinkCluster;
import com.communitypulse.connectors.flink.FlinkRest;
import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import com.communitypulse.job.PulseJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code pulse cluster start|submit|stop}: a standalone Flink cluster on this machine (JobManager and
 * TaskManagers as background JVMs, see {@link FlinkCluster}) and submission of the job jar to it
 * through the REST API, the way one submits to any Flink session cluster.
 */
final class ClusterCli {
    static final String USAGE = String.join("\n",
            "Usage: pulse cluster start  [--dir DIR] [--rest-port 8081] [--taskmanagers 2] [--slots 2] [--taskmanager-memory 1536m] [--flink-conf FILE]",
            "       pulse cluster submit [--dir DIR | --rest URL] [--jar JOB_JAR] [--from-savepoint PATH] [job options]",
            "       pulse cluster stop   [--dir DIR]",
            "",
            "start   starts a standalone Flink 2.2 cluster on 127.0.0.1 from the Maven-built jars: one JobManager",
            "        and N TaskManagers as background processes (config, logs and pids in DIR, default",
            "        target/pulse-cluster); web UI and REST API on --rest-port. --flink-conf FILE adds flat 'key: value'",
            "        lines to its config.yaml (e.g. execution.checkpointing.dir): the cluster's settings the job defers to.",
            "submit  uploads the job jar (default flink-jobs/target/*-job.jar) and runs com.communitypulse.job.PulseJob",
            "        with the job options (see 'pulse config'; --parallelism sets the job's parallelism; engine settings",
            "        such as checkpoint.dir apply only when given, else the cluster's config.yaml decides), optionally",
            "        from a savepoint or retained checkpoint (--from-savepoint DIR). Prints the job id.",
            "stop    stops the cluster recorded in DIR (running jobs stop; retained checkpoints stay on disk).");

    private ClusterCli() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || PulseCli.wantsHelp(args)) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "start": return start(rest, out);
            case "submit": return submit(rest, out);
            case "stop": return stop(rest, out);
            default:
                throw new UsageException("unknown subcommand '" + args[0] + "': use start, submit or stop (see pulse cluster --help)");
        }
    }

    static final Option<String> DIR = Option.string("dir", Path.of("target", "pulse-cluster").toString(), "cluster directory: config, logs and pids");
    static final Option<Integer> REST_PORT = count("rest-port", 8081, 1, 65535, "web UI and REST API port");
    static final Option<Integer> TASKMANAGERS = count("taskmanagers", 2, 1, 16, "number of TaskManagers");
    static final Option<Integer> SLOTS = count("slots", 2, 1, 64, "task slots per TaskManager");
    static final Option<String> TM_MEMORY = Option.of("taskmanager-memory", "1536m", "process memory of a TaskManager", v -> {
        if (!v.matches("\\d+[kmgKMG]?")) {
            throw new UsageException("--taskmanager-memory must be a size like 1536m or 2g");
        }
        return v;
    });
    static final Option<String> FLINK_CONF = Option.string("flink-conf", "", "file of flat 'key: value' lines added to the cluster's config.yaml");

    private static final Flags START = Flags.of(DIR, REST_PORT, TASKMANAGERS, SLOTS, TM_MEMORY, FLINK_CONF)
            .context("cluster start").hint("job options go to 'pulse cluster submit'").help("pulse cluster --help");
    private static final Flags STOP = Flags.of(DIR).context("cluster stop").help("pulse cluster --help");

    private static int start(String[] args, PrintStream out) throws IOException {
        Flags.Parsed f = START.parse(args);
        Map<String, String> flinkConf = f.has(FLINK_CONF) ? flinkConf(Path.of(f.raw(FLINK_CONF))) : Map.of();
        Path dir = dir(f.raw(DIR));
        String running = FlinkCluster.detachedRestUrl(dir);
        if (running != null) {
            throw new UsageException("a cluster from " + dir + " is already running at " + running + ": stop it first with 'pulse cluster stop"
                    + dirFlag(f) + "'");
        }
        FlinkCluster.Builder b = FlinkCluster.builder().dir(dir).detached(true)
                .restPort(f.get(REST_PORT))
                .taskManagers(f.get(TASKMANAGERS))
                .slotsPerTaskManager(f.get(SLOTS))
                .taskManagerMemory(f.get(TM_MEMORY));
        flinkConf.forEach(b::config);
        long t0 = System.nanoTime();
        FlinkCluster c = b.start();
        out.printf("pulse cluster: JobManager and %s TaskManagers running (%.0f s); web UI %s; logs in %s%n",
                f.get(TASKMANAGERS), (System.nanoTime() - t0) / 1e9, c.restUrl(), c.logDir());
        out.println("pulse cluster: submit the job with 'pulse cluster submit" + dirFlag(f) + " --kafka.bootstrap-servers HOST:PORT'; stop with 'pulse cluster stop"
                + dirFlag(f) + "'");
        return 0;
    }

    private static int submit(String[] args, PrintStream out) throws IOException {
        Map<String, String> extras = new HashMap<>();
        PulseConfig cfg = PulseConfig.fromArgs(List.of(args), System.getenv(), List.of(DIR.key(), "rest", "jar", "from-savepoint"), extras);
        String url = extras.get("rest");
        if (url == null) {
            Path dir = dir(extras.getOrDefault(DIR.key(), DIR.defaultValue()));
            url = FlinkCluster.detachedRestUrl(dir);
            if (url == null) {
                throw new UsageException("no running cluster recorded in " + dir + ": start one with 'pulse cluster start' or pass --rest http://HOST:PORT");
            }
        }
        Path jar = extras.containsKey("jar") ? Path.of(extras.get("jar")) : defaultJobJar();
        if (!Files.isRegularFile(jar)) {
            throw new UsageException("job jar " + jar + " does not exist: build it with 'mvn -B -DskipTests package' or pass --jar");
        }
        String savepoint = extras.get("from-savepoint");
        if (savepoint != null) {
            Path sp = Path.of(savepoint);
            if (!savepoint.contains("://") && !Files.exists(sp.resolve("_metadata")) && !sp.getFileName().toString().equals("_metadata")) {
                throw new UsageException("--from-savepoint " + savepoint + " is not a savepoint or retained checkpoint (no _metadata): pass a chk-N or savepoint-* directory");
            }
            savepoint = savepoint.contains("://") ? savepoint : sp.toAbsolutePath().toUri().toString();
        }
        FlinkRest rest = new FlinkRest(url);
        String jobId = rest.submit(jar, PulseJob.class.getName(), cfg.get(PulseConfig.PARALLELISM), cfg.toArgs(), savepoint);
        out.println("pulse cluster: submitted job " + jobId + (savepoint == null ? "" : " from " + savepoint) + "; " + url + "/#/job/running/" + jobId);
        Duration up = rest.awaitAllTasksRunning(jobId, Duration.ofMinutes(2));
        // What the job runs with, from the cluster: its config.yaml decides unless a flag was given (docs/OPERATIONS.md, "Where settings come from").
        long interval = rest.checkpointConfig(jobId).path("interval").asLong();
        String dir = cfg.overrides().containsKey(PulseConfig.CHECKPOINT_DIR.key()) ? cfg.get(PulseConfig.CHECKPOINT_DIR)
                : "the cluster's execution.checkpointing.dir (" + cfg.get(PulseConfig.CHECKPOINT_DIR) + " where it sets none)";
        out.printf("pulse cluster: job %s running (all tasks up after %.1f s); checkpoints every %.1f s to %s%n", jobId, up.toMillis() / 1000.0,
                interval / 1000.0, dir);
        return 0;
    }

    private static int stop(String[] args, PrintStream out) {
        Path dir = dir(STOP.parse(args).raw(DIR));
        if (FlinkCluster.stopDetached(dir)) {
            out.println("pulse cluster: stopped the cluster in " + dir);
        } else {
            out.println("pulse cluster: no running cluster recorded in " + dir);
        }
        return 0;
    }

    /** Flat {@code key: value} lines (Flink's config.yaml in its flat form); '#' starts a comment line. */
    static Map<String, String> flinkConf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--flink-conf " + file + " does not exist: pass a file of 'key: value' lines");
        }
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int colon = line.indexOf(": ");
            if (colon <= 0 || line.startsWith("-") || line.substring(colon + 1).isBlank()) {
                throw new UsageException("--flink-conf " + file + " line " + (i + 1) + " is not 'key: value' (nested YAML is not read): write e.g. execution.checkpointing.interval: 30 s");
            }
            String value = line.substring(colon + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            conf.put(line.substring(0, colon).strip(), value);
        }
        return conf;
    }

    private static Path dir(String dir) {
        return Path.of(dir).toAbsolutePath();
    }

    private static String dirFlag(Flags.Parsed f) {
        return f.has(DIR) ? " --dir " + f.raw(DIR) : "";
    }

    /** The shaded jar next to the CLI's own build ({@code pulse.root} is set by the pulse script). */
    private static Path defaultJobJar() throws IOException {
        Path target = Path.of(System.getProperty("pulse.root", "."), "flink-jobs", "target");
        if (!Files.isDirectory(target)) {
            return target.resolve("pulse-flink-jobs-job.jar");
        }
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElse(target.resolve("pulse-flink-jobs-job.jar"));
        }
    }

    /** A whole number flag of the cluster, e.g. {@code --taskmanagers}. */
    private static Option<Integer> count(String key, int dflt, int min, int max, String description) {
        return Option.of(key, Integer.toString(dflt), description, v -> {
            try {
                int n = Integer.parseInt(v.trim());
                if (n < min || n > max) throw new NumberFormatException();
                return n;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + key + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
            }
        });
    }
}
