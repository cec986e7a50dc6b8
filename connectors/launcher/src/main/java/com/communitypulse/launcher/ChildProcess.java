package com.communitypulse.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child process of this JVM: a Java main class run by this JVM's own {@code java}, or a binary.
 * Its stdout and stderr go (appended, merged) to one log file; {@link #awaitReady} waits for a
 * {@link Readiness} probe; {@link #close} stops the whole process tree.
 *
 * <pre>{@code
 * try (ChildProcess broker = ChildProcess.java("kafka.Kafka")
 *         .classpathDir(lib).jvmOptions("-Xmx768m").args(props.toString())
 *         .log(dir.resolve("broker.log")).name("Kafka broker").start()) {
 *     broker.awaitReady(Readiness.portOpen(port), Duration.ofSeconds(90));
 * }
 * }</pre>
 *
 * <p>Stopping is SIGTERM to the process and every descendant (so shutdown hooks run), then, after
 * the grace period ({@link Builder#stopGrace}, default 20 s), SIGKILL to whatever is still alive.
 * The descendants are collected before the first signal: once the parent is gone its children are
 * re-parented and no longer reachable from it.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 200;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration stopGrace;
    private volatile boolean stopped;

    private ChildProcess(String name, Process process, Path logFile, Duration stopGrace) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopGrace = stopGrace;
    }

    /** A Java main class, run by the {@code java} of this JVM ({@code java.home}). */
    public static Builder java(String mainClass) {
        Builder b = new Builder(javaBinary().toString(), mainClass);
        b.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        return b;
    }

    /** An executable with arguments ({@link Builder#args}). */
    public static Builder binary(Path executable) {
        Builder b = new Builder(executable.toString(), null);
        b.name = executable.getFileName().toString();
        return b;
    }

    /** The {@code java} executable of this JVM. */
    public static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Exit code; only once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Waits until {@code probe} holds. Fails with a one-line message naming the log file when the
     * process exits first or the probe still fails after {@code timeout}; the process is left as it
     * is (the caller closes it).
     */
    public void awaitReady(Readiness probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during startup; see " + logFile);
            }
            if (probe.ready()) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout.toSeconds() + " s (waited for " + probe
                        + "); see " + logFile);
            }
            sleep(POLL_MS);
        }
    }

    /**
     * For a process that does a job and ends (a formatter, a config tool): waits for it and fails
     * with a one-line message naming the log file unless it exits 0 within {@code timeout} (then it
     * is killed).
     */
    public void awaitSuccess(Duration timeout) {
        boolean ended;
        try {
            ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        if (!ended) {
            kill();
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see " + logFile);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit code " + process.exitValue() + "; see " + logFile);
        }
    }

    /** The last {@code lines} lines of the log ("" when there is none), for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Sends a POSIX signal by name ({@code STOP}, {@code CONT}, ...) to the process itself; no-op once it has ended. */
    public void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to " + name + " (pid " + process.pid() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the process and its descendants now (no shutdown hooks run), and waits for them to end. */
    public void kill() {
        stopped = true;
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitEnd(tree, KILL_WAIT);
    }

    /** Stops the process tree: SIGTERM, then SIGKILL after the grace period. Idempotent. */
    @Override
    public void close() {
        closeAll(List.of(this));
    }

    /**
     * Closes several at once: all get SIGTERM first and share one grace period (the longest of
     * theirs), so stopping N processes takes one grace period, not N.
     */
    public static void closeAll(Collection<ChildProcess> processes) {
        List<ProcessHandle> all = new ArrayList<>();
        Duration grace = Duration.ZERO;
        for (ChildProcess p : processes) {
            if (p == null || p.stopped) {
                continue;
            }
            p.stopped = true;
            all.addAll(tree(p.process.toHandle()));
            grace = p.stopGrace.compareTo(grace) > 0 ? p.stopGrace : grace;
        }
        stopAll(all, grace);
        // A handle reads dead as soon as the process has exited; the Process object only once the
        // JVM's reaper thread has collected its exit status, a moment later on a busy machine. Wait
        // for that too, so that isAlive() and exitValue() are settled when close returns.
        for (ChildProcess p : processes) {
            if (p != null) {
                p.awaitReaped();
            }
        }
    }

    private void awaitReaped() {
        try {
            process.waitFor(KILL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops a process this JVM did not start (e.g. one whose pid a detached run recorded) and its
     * descendants, as {@link #close} does.
     */
    public static void stop(ProcessHandle process, Duration grace) {
        stopAll(tree(process), grace);
    }

    private static void stopAll(List<ProcessHandle> tree, Duration grace) {
        if (tree.isEmpty()) {
            return;
        }
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> left = awaitEnd(tree, grace);
        if (!left.isEmpty()) {
            left.forEach(ProcessHandle::destroyForcibly);
            awaitEnd(left, KILL_WAIT);
        }
    }

    private List<ProcessHandle> tree() {
        return tree(process.toHandle());
    }

    /** The process and its live descendants, the process first. */
    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        all.addAll(root.descendants().collect(Collectors.toList()));
        return all;
    }

    /** Waits until all of {@code handles} have ended or {@code timeout} passed; returns those still alive. */
    private static List<ProcessHandle> awaitEnd(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        List<ProcessHandle> alive = new ArrayList<>(handles);
        while (true) {
            alive.removeIf(h -> !h.isAlive());
            if (alive.isEmpty() || System.nanoTime() >= deadline || interrupted) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            alive.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
        return alive;
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** How to start a {@link ChildProcess}. */
    public static final class Builder {
        private final String executable;
        private final String mainClass;
        private final List<String> prefix = new ArrayList<>();
        private final List<String> classpath = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String name;
        private Path directory;
        private Path log;
        private Duration stopGrace = Duration.ofSeconds(20);

        private Builder(String executable, String mainClass) {
            this.executable = executable;
            this.mainClass = mainClass;
        }

        /** Name used in error messages, e.g. {@code "Kafka broker"}. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds every jar in {@code dir} to the classpath ({@code dir/*}). */
        public Builder classpathDir(Path dir) {
            requireJava("classpathDir");
            classpath.add(dir.toAbsolutePath() + "/*");
            return this;
        }

        /** Adds a classpath entry (a jar, a class directory, or a {@code dir/*} wildcard). */
        public Builder classpath(String entry) {
            requireJava("classpath");
            classpath.add(entry);
            return this;
        }

        /** JVM options, placed before the main class. */
        public Builder jvmOptions(String... options) {
            return jvmOptions(List.of(options));
        }

        public Builder jvmOptions(List<String> options) {
            requireJava("jvmOptions");
            jvmOptions.addAll(options);
            return this;
        }

        /** Arguments of the main class or the binary. */
        public Builder args(String... args) {
            return args(List.of(args));
        }

        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** A command that runs the process, e.g. {@code /usr/bin/setsid}. */
        public Builder prefix(String... command) {
            prefix.addAll(List.of(command));
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Working directory; default: this JVM's. */
        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        /** Where stdout and stderr go (appended, merged); required. */
        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        /** How long {@link ChildProcess#close} waits after SIGTERM before SIGKILL. */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        /** The full command line this builder runs. */
        public List<String> command() {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(executable);
            if (mainClass != null) {
                cmd.addAll(jvmOptions);
                if (!classpath.isEmpty()) {
                    cmd.add("-cp");
                    cmd.add(String.join(java.io.File.pathSeparator, classpath));
                }
                cmd.add(mainClass);
            }
            cmd.addAll(args);
            return cmd;
        }

        /** Starts the process (does not wait for it to be ready: see {@link ChildProcess#awaitReady}). */
        public ChildProcess start() {
            if (log == null) {
                throw new IllegalStateException("no log file for " + name + ": call log(path) before start()");
            }
            try {
                Path parent = log.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                if (directory != null) {
                    pb.directory(directory.toFile());
                }
                pb.environment().putAll(env);
                return new ChildProcess(name, pb.start(), log, stopGrace);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + name + " (" + executable + "): " + e.getMessage(), e);
            }
        }

        private void requireJava(String what) {
            if (mainClass == null) {
                throw new IllegalStateException(what + " applies to a Java main class: use ChildProcess.java(mainClass), not binary(...)");
            }
        }
    }
}
