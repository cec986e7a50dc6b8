package com.communitypulse.connectors.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    private final Builder settings;
    private final Path dir;
    private final boolean deleteOnClose;
    private final Path lib;
    private final Path conf;
    private final Thread shutdownHook;
    private int restPort;
    private Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
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
        return taskManagers.stream().filter(Process::isAlive).map(Process::pid).collect(Collectors.toList());
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    /** {@code kill -9} of the i-th live TaskManager (oldest first); returns its pid. */
    public long killTaskManager(int i) {
        Process p = taskManagers.stream().filter(Process::isAlive).skip(i).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no live TaskManager #" + i));
        kill9(p);
        taskManagers.remove(p);
        return p.pid();
    }

    /**
     * {@code kill -9} of the JobManager and every TaskManager at once: the whole cluster crashes. The
     * working directory (checkpoints, logs) is kept; {@link #restart()} brings up a new cluster.
     */
    public void killAll() {
        List<Process> all = new ArrayList<>(taskManagers);
        all.add(jobManager);
        all.forEach(FlinkCluster::kill9);
        taskManagers.clear();
    }

    /** Starts a fresh JobManager and TaskManagers after {@link #killAll()} (new ports; job state only from checkpoints). */
    public void restart() {
        launch();
    }

    /** Starts one more TaskManager and waits until it has registered with the ResourceManager. */
    public void startTaskManager() {
        Process p = startTaskManagerProcess();
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
            deleteRecursively(dir);
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
                h.get().destroy();
                try {
                    h.get().onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.get().destroyForcibly();
                }
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
            restPort = settings.restPort > 0 ? settings.restPort : freePort();
            writeConfig();
            writeLog4j();
            if (tmJvmArgs == null) {
                // Both memory calculations at once: each is a JVM start, and they do not depend on each other.
                Process jm = startResourceParams("GET_JM_RESOURCE_PARAMS");
                Process tm = startResourceParams("GET_TM_RESOURCE_PARAMS");
                jmJvmArgs = awaitResourceParams(jm, "GET_JM_RESOURCE_PARAMS").get(0);
                List<List<String>> r = awaitResourceParams(tm, "GET_TM_RESOURCE_PARAMS");
                tmJvmArgs = r.get(0);
                tmDynamicConfig = r.get(1);
            }
            jobManager = startJobManager();
            // TaskManagers retry until the JobManager answers: start them at once rather than after the REST API is up.
            List<Process> started = new ArrayList<>();
            for (int i = 0; i < settings.taskManagers; i++) {
                started.add(startTaskManagerProcess());
            }
            taskManagers.addAll(started);
            rest().awaitReady(Duration.ofSeconds(120), jobManager, logDir().resolve("jobmanager.log"));
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
        c.put("jobmanager.rpc.port", Integer.toString(freePort()));
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

    private Process startJobManager() throws IOException {
        List<String> cmd = javaCommand(jmJvmArgs, "jobmanager");
        cmd.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        cmd.addAll(List.of("--configDir", conf.toString()));
        return start(cmd, "jobmanager");
    }

    private Process startTaskManagerProcess() {
        try {
            String name = "taskmanager-" + (++tmSerial);
            List<String> cmd = javaCommand(tmJvmArgs, name);
            cmd.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
            cmd.addAll(List.of("--configDir", conf.toString()));
            cmd.addAll(tmDynamicConfig);
            return start(cmd, name);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start a TaskManager", e);
        }
    }

    /**
     * Flink's start scripts derive the JVM memory flags and the {@code -D taskmanager.memory.*} values
     * from config.yaml with BashJavaUtils; we do the same so that the processes match the config.
     * Returns [jvm args, dynamic config args].
     */
    private Process startResourceParams(String command) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of("-cp", lib + "/*", "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf.toString()));
        Path out = logDir().resolve(command.toLowerCase() + ".out");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private List<List<String>> awaitResourceParams(Process p, String command) throws IOException {
        Path out = logDir().resolve(command.toLowerCase() + ".out");
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("BashJavaUtils " + command + " failed; see " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        List<List<String>> result = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith(BASH_UTILS_PREFIX)) {
                String v = line.substring(BASH_UTILS_PREFIX.length()).trim();
                result.add(v.isEmpty() ? List.of() : List.of(v.split("\\s+")));
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no result; see " + out);
        }
        return result;
    }

    private List<String> javaCommand(List<String> memoryArgs, String name) {
        List<String> cmd = new ArrayList<>();
        if (settings.detached && Files.isExecutable(Paths.get("/usr/bin/setsid"))) {
            // Its own session: closing the terminal that ran `pulse cluster start` does not take the cluster down.
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(javaBinary());
        cmd.addAll(memoryArgs);
        cmd.add("-XX:+UseG1GC");
        cmd.addAll(JAVA_17_OPENS);
        cmd.add("-Dlog.file=" + logDir().resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.add("-Dlog4j2.configurationFile=" + conf.resolve("log4j.properties").toUri());
        cmd.addAll(List.of("-cp", lib + "/*"));
        return cmd;
    }

    private Process start(List<String> cmd, String name) throws IOException {
        Path out = logDir().resolve(name + ".out");
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
    }

    /** A TaskManager logs this once the ResourceManager accepted it (the REST list still shows dead ones for a while). */
    private void awaitRegistered(Process p, int serial, Duration timeout) {
        Path log = logDir().resolve("taskmanager-" + serial + ".log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("TaskManager " + serial + " exited with code " + p.exitValue() + "; see " + log);
            }
            try {
                if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("Successful registration at resource manager")) {
                    return;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("TaskManager " + serial + " did not register within " + timeout.toSeconds() + " s; see " + log);
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
        List<Process> all = new ArrayList<>(taskManagers);
        if (jobManager != null) all.add(jobManager);
        all.forEach(Process::destroy);
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void kill9(Process p) {
        // destroyForcibly() is SIGKILL on Linux: no shutdown hooks, no goodbye to the JobManager.
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path flinkLib() {
        String env = System.getenv("PULSE_FLINK_LIB");
        if (env != null && !env.isBlank()) {
            return requireLib(Paths.get(env), "PULSE_FLINK_LIB");
        }
        Properties p = new Properties();
        try (InputStream in = FlinkCluster.class.getResourceAsStream("/pulse-flink-cluster.properties")) {
            if (in == null) {
                throw new IllegalStateException("pulse-flink-cluster.properties missing from the classpath: build with 'mvn package -DskipTests' first");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return requireLib(Paths.get(p.getProperty("flink.lib")), "the build");
    }

    private static Path requireLib(Path lib, String origin) {
        try (Stream<Path> s = Files.list(lib)) {
            if (s.noneMatch(f -> f.getFileName().toString().startsWith("flink-runtime-"))) {
                throw new IllegalStateException("No flink-runtime jar in " + lib + " (from " + origin + "): run 'mvn package -DskipTests' to assemble it");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Flink jars not found at " + lib + " (from " + origin + "): run 'mvn package -DskipTests' to assemble them");
        }
        return lib.toAbsolutePath();
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a temp dir left behind is harmless.
        }
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
