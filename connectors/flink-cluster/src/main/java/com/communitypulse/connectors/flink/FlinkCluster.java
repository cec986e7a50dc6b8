package com.communitypulse.connectors.flink;

import com.communitypulse.launcher.ChildProcess;
import com.communitypulse.launcher.Dirs;
import com.communitypulse.launcher.LibDir;
import com.communitypulse.launcher.Ports;
import com.communitypulse.launcher.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A real standalone Flink 2.2 session cluster on 127.0.0.1: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each
 * its own JVM, started from the jars that this module copies into {@code target/flink-lib} at build
 * time (override with {@code PULSE_FLINK_LIB}). Jobs are submitted as jars through the REST API
 * ({@link #rest()}).
 *
 * <p>Used by the fault tests, which kill processes with {@code kill -9} and start replacements the
 * way a supervisor (systemd, Kubernetes) would, and by {@code pulse cluster start|submit|stop}. A
 * detached cluster ({@link Builder#detached}) outlives the JVM that started it; its process ids are
 * kept in {@code <dir>/cluster.properties} so that {@link #stopDetached} can end it later.
 *
 * <h2>How to run</h2>
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.builder().taskManagers(2).start()) {
 *     String jobId = cluster.rest().submit(jobJar, "com.communitypulse.job.PulseJob", 2, args, null);
 *     cluster.rest().awaitAllTasksRunning(jobId, Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class FlinkCluster implements AutoCloseable {

    /** Flink's own Java 17 module flags ({@code env.java.opts.all} of its shipped config.yaml). */
    public static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED", "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String STATE_FILE = "cluster.properties";
    private static final String BASH_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Builder settings;
    private final Path dir;
    private final boolean deleteOnClose;
    private final Path lib;
    private final Path conf;
    private final Thread shutdownHook;
    private int restPort;
    private ChildProcess jobManager;
    private final List<ChildProcess> taskManagers = new ArrayList<>();
    private int tmSerial;
    private List<String> jmJvmArgs;
    private List<String> tmJvmArgs;
    private List<String> tmDynamicConfig;
    private volatile boolean closed;

    private FlinkCluster(Builder b) throws IOException {
        this.settings = b;
        this.deleteOnClose = b.dir == null && !b.detached;
        this.dir = b.dir != null ? Files.createDirectories(b.dir.toAbsolutePath()) : Files.createTempDirectory("pulse-flink-");
        this.lib = flinkLib();
        this.conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("log"));
        this.shutdownHook = b.detached ? null : new Thread(this::stopQuietly, "flink-cluster-shutdown");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL of the JobManager's REST API and web UI, e.g. {@code http://127.0.0.1:8081}. */
    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public FlinkRest rest() {
        return new FlinkRest(restUrl());
    }

    public Path dir() {
        return dir;
    }

    public Path logDir() {
        return dir.resolve("log");
    }

    /** OS process ids of the live TaskManagers, oldest first. */
    public List<Long> taskManagerPids() {
        return taskManagers.stream().filter(ChildProcess::isAlive).map(ChildProcess::pid).collect(Collectors.toList());
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    /** {@code kill -9} of the i-th live TaskManager (oldest first); returns its pid. */
    public long killTaskManager(int i) {
        ChildProcess p = taskManagers.stream().filter(ChildProcess::isAlive).skip(i).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no live TaskManager #" + i));
        // SIGKILL: no shutdown hooks, no goodbye to the JobManager.
        p.kill();
        taskManagers.remove(p);
        return p.pid();
    }

    /**
     * {@code kill -9} of the JobManager and every TaskManager at once: the whole cluster crashes. The
     * working directory (checkpoints, logs) is kept; {@link #restart()} brings up a new cluster.
     */
    public void killAll() {
        List<ChildProcess> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        all.forEach(ChildProcess::kill);
        taskManagers.clear();
    }

    /** Starts a fresh JobManager and TaskManagers after {@link #killAll()} (new ports; job state only from checkpoints). */
    public void restart() {
        launch();
    }

    /** Starts one more TaskManager and waits until it has registered with the ResourceManager. */
    public void startTaskManager() {
        ChildProcess p = startTaskManagerProcess();
        taskManagers.add(p);
        // Generous: on a loaded machine a JVM start alone can take a minute.
        awaitRegistered(p, tmSerial, Duration.ofSeconds(180));
    }

    @Override
    public void close() {
        stopQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // JVM already shutting down.
            }
        }
        if (deleteOnClose) {
            Dirs.deleteQuietly(dir);
        }
    }

    /** Stops a detached cluster started by another JVM from its {@code cluster.properties}; false if none was running there. */
    public static boolean stopDetached(Path dir) {
        Properties p = readState(dir);
        if (p == null) {
            return false;
        }
        boolean any = false;
        for (String pid : p.getProperty("pids", "").split(",")) {
            if (pid.isBlank()) continue;
            var h = ProcessHandle.of(Long.parseLong(pid.trim()));
            if (h.isPresent() && h.get().isAlive()) {
                any = true;
                ChildProcess.stop(h.get(), STOP_GRACE);
            }
        }
        try {
            Files.deleteIfExists(dir.resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return any;
    }

    /** REST URL of a detached cluster recorded in {@code dir}, or null when none is recorded or its JobManager is gone. */
    public static String detachedRestUrl(Path dir) {
        Properties p = readState(dir);
        if (p == null) return null;
        long jm = Long.parseLong(p.getProperty("jobmanager.pid", "-1"));
        if (ProcessHandle.of(jm).map(ProcessHandle::isAlive).orElse(false)) {
            return p.getProperty("rest.url");
        }
        return null;
    }

    private void launch() {
        try {
            restPort = settings.restPort > 0 ? settings.restPort : Ports.free();
            writeConfig();
            writeLog4j();
            if (tmJvmArgs == null) {
                // Both memory calculations at once: each is a JVM start, and they do not depend on each other.
                ChildProcess jm = startResourceParams("GET_JM_RESOURCE_PARAMS");
                ChildProcess tm = startResourceParams("GET_TM_RESOURCE_PARAMS");
                jmJvmArgs = awaitResourceParams(jm, "GET_JM_RESOURCE_PARAMS").get(0);
                List<List<String>> r = awaitResourceParams(tm, "GET_TM_RESOURCE_PARAMS");
                tmJvmArgs = r.get(0);
                tmDynamicConfig = r.get(1);
            }
            jobManager = startJobManager();
            // TaskManagers retry until the JobManager answers: start them at once rather than after the REST API is up.
            List<ChildProcess> started = new ArrayList<>();
            for (int i = 0; i < settings.taskManagers; i++) {
                started.add(startTaskManagerProcess());
            }
            taskManagers.addAll(started);
            try {
                jobManager.awaitReady(Readiness.httpOk(restUrl() + "/config"), Duration.ofSeconds(120));
            } catch (IllegalStateException e) {
                // The reason is usually in Flink's own log rather than in stdout.
                throw new IllegalStateException(e.getMessage() + " and " + logDir().resolve("jobmanager.log"), e);
            }
            rest().awaitTaskManagers(settings.taskManagers, Duration.ofSeconds(120));
            if (settings.detached) {
                writeState();
            }
        } catch (IOException e) {
            stopQuietly();
            throw new UncheckedIOException("Could not start the Flink cluster in " + dir, e);
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
    }

    private void writeConfig() throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", Integer.toString(Ports.free()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.rpc.port", "0");
        c.put("taskmanager.data.port", "0");
        c.put("blob.server.port", "0");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", Integer.toString(restPort));
        c.put("jobmanager.memory.process.size", settings.jobManagerMemory);
        c.put("taskmanager.memory.process.size", settings.taskManagerMemory);
        c.put("taskmanager.numberOfTaskSlots", Integer.toString(settings.slotsPerTaskManager));
        c.put("parallelism.default", "1");
        // A lost TaskManager is noticed by its dropped connection within seconds; the heartbeat is the
        // fallback for a hung (not dead) one. Flink's default 50 s would dominate recovery times.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "15000");
        c.put("jobmanager.execution.failover-strategy", "region");
        // REST metric queries (e.g. numRestarts) are served from a cache refreshed this often (default 10 s).
        c.put("metrics.fetcher.update-interval", "1000");
        // Spread a job's slots over the TaskManagers, so that every TaskManager runs part of every job
        // (a killed one always hits it) and the spare slots of the others can take its work at once.
        c.put("taskmanager.load-balance.mode", "SLOTS");
        // A replacement TaskManager must be able to take the job back: do not wait for the old slots.
        c.put("slot.request.timeout", "120000");
        c.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        c.put("web.upload.dir", Files.createDirectories(dir.resolve("upload")).toString());
        c.put("taskmanager.state.local.root-dirs", Files.createDirectories(dir.resolve("local-state")).toString());
        c.put("state.backend.rocksdb.log.dir", Files.createDirectories(dir.resolve("log").resolve("rocksdb")).toString());
        c.put("env.java.opts.all", String.join(" ", JAVA_17_OPENS));
        c.putAll(settings.extraConfig);
        StringBuilder yaml = new StringBuilder("# Generated by community-pulse FlinkCluster; rewritten on every start.\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(yamlValue(v)).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
    }

    private static String yamlValue(String v) {
        return v.matches("[A-Za-z0-9_./:=,-]*") && !v.isEmpty() ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void writeLog4j() throws IOException {
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "monitorInterval = 0",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "appender.main.name = MainAppender",
                "appender.main.type = File",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "logger.zookeeper.name = org.apache.zookeeper",
                "logger.zookeeper.level = WARN", ""), StandardCharsets.UTF_8);
    }

    private ChildProcess startJobManager() {
        return flinkProcess("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jmJvmArgs, "jobmanager", List.of())
                .name("Flink JobManager").start();
    }

    private ChildProcess startTaskManagerProcess() {
        String name = "taskmanager-" + (++tmSerial);
        return flinkProcess("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmJvmArgs, name, tmDynamicConfig)
                .name("TaskManager " + tmSerial).start();
    }

    /**
     * Flink's start scripts derive the JVM memory flags and the {@code -D taskmanager.memory.*} values
     * from config.yaml with BashJavaUtils; we do the same so that the processes match the config.
     */
    private ChildProcess startResourceParams(String command) throws IOException {
        Path out = logDir().resolve(command.toLowerCase() + ".out");
        // The result is parsed from this file: a previous start's lines must not be read as this one's.
        Files.deleteIfExists(out);
        return ChildProcess.java("org.apache.flink.runtime.util.bash.BashJavaUtils").classpathDir(lib)
                .jvmOptions("-Xmx128m", "-XX:TieredStopAtLevel=1").args(command, "--configDir", conf.toString())
                .log(out).name("BashJavaUtils " + command).start();
    }

    /** Returns [jvm args, dynamic config args]. */
    private List<List<String>> awaitResourceParams(ChildProcess p, String command) throws IOException {
        p.awaitSuccess(Duration.ofSeconds(60));
        List<List<String>> result = new ArrayList<>();
        for (String line : Files.readAllLines(p.logFile(), StandardCharsets.UTF_8)) {
            if (line.startsWith(BASH_UTILS_PREFIX)) {
                String v = line.substring(BASH_UTILS_PREFIX.length()).trim();
                result.add(v.isEmpty() ? List.of() : List.of(v.split("\\s+")));
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result; see " + p.logFile());
        }
        return result;
    }

    /** A JobManager or TaskManager JVM: stdout/stderr to {@code <name>.out}, Flink's log to {@code <name>.log}. */
    private ChildProcess.Builder flinkProcess(String mainClass, List<String> memoryArgs, String name, List<String> extraArgs) {
        ChildProcess.Builder b = ChildProcess.java(mainClass);
        if (settings.detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            // Its own session: closing the terminal that ran `pulse cluster start` does not take the cluster down.
            b.prefix("/usr/bin/setsid");
        }
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(extraArgs);
        return b.jvmOptions(memoryArgs)
                .jvmOptions("-XX:+UseG1GC")
                .jvmOptions(JAVA_17_OPENS)
                .jvmOptions("-Dlog.file=" + logDir().resolve(name + ".log"),
                        "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                        "-Dlog4j2.configurationFile=" + conf.resolve("log4j.properties").toUri())
                .classpathDir(lib)
                .args(args)
                .directory(dir)
                .log(logDir().resolve(name + ".out"))
                .stopGrace(STOP_GRACE);
    }

    /** A TaskManager logs this once the ResourceManager accepted it (the REST list still shows dead ones for a while). */
    private void awaitRegistered(ChildProcess p, int serial, Duration timeout) {
        p.awaitReady(Readiness.logContains(logDir().resolve("taskmanager-" + serial + ".log"), "Successful registration at resource manager"),
                timeout);
    }

    private void writeState() throws IOException {
        Properties p = new Properties();
        p.setProperty("rest.url", restUrl());
        p.setProperty("jobmanager.pid", Long.toString(jobManager.pid()));
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(jobManager.pid()));
        taskManagers.forEach(t -> pids.add(Long.toString(t.pid())));
        p.setProperty("pids", String.join(",", pids));
        try (var w = Files.newBufferedWriter(dir.resolve(STATE_FILE), StandardCharsets.UTF_8)) {
            p.store(w, "community-pulse detached Flink cluster (pulse cluster stop ends it)");
        }
    }

    private static Properties readState(Path dir) {
        Path f = dir.resolve(STATE_FILE);
        if (!Files.exists(f)) return null;
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private void stopQuietly() {
        if (closed || settings.detached) {
            return;
        }
        closed = true;
        List<ChildProcess> all = new ArrayList<>(taskManagers);
        if (jobManager != null) all.add(jobManager);
        ChildProcess.closeAll(all);
    }

    static Path flinkLib() {
        return LibDir.locate("PULSE_FLINK_LIB", FlinkCluster.class, "/pulse-flink-cluster.properties", "flink.lib", "flink-runtime-",
                "mvn package -DskipTests");
    }

    /** A free loopback port; kept for callers of this class, see {@link Ports#free()}. */
    public static int freePort() {
        return Ports.free();
    }

    /** Options for {@link FlinkCluster}. */
    public static final class Builder {
        private Path dir;
        private int restPort;
        private int taskManagers = 2;
        private int slotsPerTaskManager = 1;
        private String taskManagerMemory = "1024m";
        private String jobManagerMemory = "768m";
        private boolean detached;
        private final Map<String, String> extraConfig = new LinkedHashMap<>();

        /** Working directory (config, logs, uploads, local state; kept on close); default: a temp dir deleted on close. */
        public Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        /** REST/web UI port; default: a free port. */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        public Builder taskManagers(int n) {
            if (n < 1) throw new IllegalArgumentException("taskManagers must be at least 1, got " + n);
            this.taskManagers = n;
            return this;
        }

        public Builder slotsPerTaskManager(int n) {
            if (n < 1) throw new IllegalArgumentException("slotsPerTaskManager must be at least 1, got " + n);
            this.slotsPerTaskManager = n;
            return this;
        }

        /** {@code taskmanager.memory.process.size}, e.g. {@code 1024m}. */
        public Builder taskManagerMemory(String size) {
            this.taskManagerMemory = size;
            return this;
        }

        /** {@code jobmanager.memory.process.size}, e.g. {@code 768m}. */
        public Builder jobManagerMemory(String size) {
            this.jobManagerMemory = size;
            return this;
        }

        /** Leave the processes running when this JVM exits (for {@code pulse cluster start}); end them with {@link #stopDetached}. */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** An extra or overriding config.yaml entry. */
        public Builder config(String key, String value) {
            extraConfig.put(key, value);
            return this;
        }

        public FlinkCluster start() {
            FlinkCluster c;
            try {
                c = new FlinkCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare the Flink cluster directory", e);
            }
            c.launch();
            return c;
        }
    }
}
