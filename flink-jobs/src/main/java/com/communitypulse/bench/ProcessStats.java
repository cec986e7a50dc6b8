package com.communitypulse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples memory while a phase runs: this JVM's used heap (the MiniCluster runs in-process) and the
 * resident set size of this process and of the broker child process ({@code /proc/PID/status}),
 * plus the size of a directory tree (the RocksDB working directories). Keeps the maxima.
 */
final class ProcessStats implements AutoCloseable {
    final AtomicLong maxHeap = new AtomicLong();
    final AtomicLong maxRss = new AtomicLong();
    final AtomicLong maxBrokerRss = new AtomicLong();
    final AtomicLong maxDirBytes = new AtomicLong();
    private final long brokerPid;
    private final Path dir;
    private volatile boolean running = true;
    private final Thread thread;

    ProcessStats(long brokerPid, Path dir) {
        this.brokerPid = brokerPid;
        this.dir = dir;
        this.thread = new Thread(this::loop, "bench-process-stats");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        int tick = 0;
        while (running) {
            sample(tick++ % 5 == 0);
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(boolean withDir) {
        maxHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        maxRss.accumulateAndGet(rssBytes(ProcessHandle.current().pid()), Math::max);
        if (brokerPid > 0) maxBrokerRss.accumulateAndGet(rssBytes(brokerPid), Math::max);
        if (withDir && dir != null) maxDirBytes.accumulateAndGet(dirBytes(dir), Math::max);
    }

    /** VmRSS of a process in bytes (0 where /proc is not available). */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    /** Bytes of all regular files below {@code root} (0 if missing). */
    static long dirBytes(Path root) {
        if (!Files.exists(root)) return 0;
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking (compaction)
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU time (user + system) this process has used so far, in nanoseconds. */
    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /**
     * CPU time (user + system) the JIT compiler threads of this JVM have used so far, in nanoseconds
     * ({@code /proc/self/task/*}/stat of the threads named "C1/C2 CompilerThre…"; 0 where /proc is not
     * available). A compiler thread the JVM retires takes its time with it, so this is a lower bound.
     */
    static long jitCpuNanos() {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String comm = stat.substring(open + 1, close);
                    if (!comm.startsWith("C1 CompilerThre") && !comm.startsWith("C2 CompilerThre")) continue;
                    // After the command: state (field 3) ... utime (14), stime (15).
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while listing
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** USER_HZ of /proc/PID/stat: 100 on every Linux platform the JDK runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample(true);
    }
}
