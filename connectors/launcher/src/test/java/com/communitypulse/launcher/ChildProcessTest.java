package com.communitypulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs running {@link TestChild}; every check against the OS, not the launcher's own bookkeeping. */
class ChildProcessTest {

    private static final Duration START = Duration.ofSeconds(60);

    private static ChildProcess.Builder child(Path log, String... args) {
        return ChildProcess.java(TestChild.class.getName())
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1")
                .args(args)
                .log(log)
                .name("test child");
    }

    @Test
    void shouldBeReadyWhenThePortOpensAndFreeItOnClose(@TempDir Path tmp) {
        int port = Ports.free();
        assertThat(Ports.isOpen(port)).isFalse();
        ChildProcess c = child(tmp.resolve("child.log"), "listen", Integer.toString(port)).start();
        try (c) {
            c.awaitReady(Readiness.portOpen(port), START);
            assertThat(Ports.isOpen(port)).isTrue();
            assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive)).contains(true);
        }
        assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Ports.isOpen(port)).isFalse();
    }

    @Test
    void shouldCaptureStdoutAndStderrInTheLogWhenWaitingForALine(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("logs/child.log");
        try (ChildProcess c = child(log, "listen", Integer.toString(Ports.free())).start()) {
            c.awaitReady(Readiness.logContains(log, "listening"), START);
            String text = Files.readString(log);
            assertThat(text).contains("child listen").contains("child says hello on stderr").contains("listening");
            assertThat(c.logTail(1)).isEqualTo("listening");
        }
    }

    @Test
    void shouldBeReadyWhenTheUrlAnswers200(@TempDir Path tmp) {
        int port = Ports.free();
        try (ChildProcess c = child(tmp.resolve("child.log"), "http", Integer.toString(port)).start()) {
            Readiness ok = Readiness.httpOk("http://127.0.0.1:" + port + "/ready");
            Readiness missing = Readiness.httpOk("http://127.0.0.1:" + port + "/nope");
            c.awaitReady(ok, START);
            assertThat(ok.ready()).isTrue();
            assertThat(missing.ready()).as("404 is not ready").isFalse();
        }
    }

    @Test
    void shouldKillTheGrandchildTooWhenClosed(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("grandchild.pid");
        ChildProcess c = child(tmp.resolve("child.log"), "parent", pidFile.toString()).start();
        long grandchild;
        try (c) {
            c.awaitReady(Readiness.of("grandchild pid file", () -> Files.exists(pidFile)), START);
            grandchild = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle g = ProcessHandle.of(grandchild).orElseThrow();
            assertThat(g.isAlive()).isTrue();
            assertThat(g.parent().map(ProcessHandle::pid)).as("really a grandchild of the test JVM").contains(c.pid());
        }
        assertThat(c.isAlive()).isFalse();
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).as("grandchild " + grandchild).isFalse();
    }

    @Test
    void shouldKillAfterTheGraceWhenSigtermIsIgnored(@TempDir Path tmp) {
        Path log = tmp.resolve("child.log");
        ChildProcess c = child(log, "stubborn").stopGrace(Duration.ofSeconds(2)).start();
        c.awaitReady(Readiness.logContains(log, "stubborn"), START);
        long t0 = System.nanoTime();
        c.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(c.isAlive()).isFalse();
        assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ms).as("waited the grace period, then killed").isBetween(1_900L, 15_000L);
        assertThat(c.logTail(5)).contains("ignoring SIGTERM");
        // SIGKILL: exit code 128 + 9.
        assertThat(c.exitValue()).isEqualTo(137);
        c.close(); // idempotent
    }

    @Test
    void shouldShareOneGracePeriodWhenClosingSeveral(@TempDir Path tmp) {
        Path log1 = tmp.resolve("a.log");
        Path log2 = tmp.resolve("b.log");
        ChildProcess a = child(log1, "stubborn").stopGrace(Duration.ofSeconds(3)).start();
        ChildProcess b = child(log2, "stubborn").stopGrace(Duration.ofSeconds(3)).start();
        a.awaitReady(Readiness.logContains(log1, "stubborn"), START);
        b.awaitReady(Readiness.logContains(log2, "stubborn"), START);
        long t0 = System.nanoTime();
        ChildProcess.closeAll(java.util.List.of(a, b));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
        assertThat(ms).as("one 3 s grace for both, not two in a row").isBetween(2_900L, 5_900L);
    }

    @Test
    void shouldStopATreeByItsHandleWhenAnotherJvmStartedIt(@TempDir Path tmp) throws Exception {
        Path pidFile = tmp.resolve("grandchild.pid");
        ChildProcess c = child(tmp.resolve("child.log"), "parent", pidFile.toString()).start();
        c.awaitReady(Readiness.of("grandchild pid file", () -> Files.exists(pidFile)), START);
        long grandchild = Long.parseLong(Files.readString(pidFile).trim());
        ChildProcess.stop(ProcessHandle.of(c.pid()).orElseThrow(), Duration.ofSeconds(10));
        assertThat(c.isAlive()).isFalse();
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void shouldNameTheLogFileWhenNotReadyInTime(@TempDir Path tmp) {
        Path log = tmp.resolve("slow.log");
        int port = Ports.free();
        try (ChildProcess c = child(log, "sleep").start()) {
            assertThatThrownBy(() -> c.awaitReady(Readiness.portOpen(port), Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("test child not ready within 2 s (waited for port 127.0.0.1:" + port + " open); see " + log);
            assertThat(c.isAlive()).as("left for the caller to close").isTrue();
        }
    }

    @Test
    void shouldReportTheExitCodeAndLogWhenTheChildDiesDuringStartup(@TempDir Path tmp) {
        Path log = tmp.resolve("dies.log");
        try (ChildProcess c = child(log, "exit", "3").start()) {
            assertThatThrownBy(() -> c.awaitReady(Readiness.portOpen(Ports.free()), START))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("test child exited with code 3 during startup; see " + log);
        }
    }

    @Test
    void shouldPassOrNameTheLogWhenAwaitingSuccess(@TempDir Path tmp) {
        child(tmp.resolve("ok.log"), "exit", "0").start().awaitSuccess(START);
        Path log = tmp.resolve("fails.log");
        assertThatThrownBy(() -> child(log, "exit", "5").start().awaitSuccess(START))
                .hasMessage("test child failed with exit code 5; see " + log);
        Path slow = tmp.resolve("slow.log");
        ChildProcess sleeper = child(slow, "sleep").start();
        assertThatThrownBy(() -> sleeper.awaitSuccess(Duration.ofSeconds(1)))
                .hasMessage("test child did not finish within 1 s; see " + slow);
        assertThat(sleeper.isAlive()).as("killed on timeout").isFalse();
    }

    @Test
    void shouldRunABinaryWithArguments(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("echo.log");
        ChildProcess.binary(Path.of("/bin/sh")).args("-c", "echo \"$0 $1\"; exit 0", "one", "two").log(log).start().awaitSuccess(START);
        assertThat(Files.readString(log)).isEqualTo("one two\n");
        assertThatThrownBy(() -> ChildProcess.binary(Path.of("/bin/sh")).jvmOptions("-Xmx1g"))
                .hasMessageContaining("ChildProcess.java(mainClass)");
        assertThatThrownBy(() -> ChildProcess.binary(Path.of("/bin/sh")).start()).hasMessageContaining("call log(path)");
    }

    @Test
    void shouldSendSignalsToTheProcess(@TempDir Path tmp) throws Exception {
        int port = Ports.free();
        try (ChildProcess c = child(tmp.resolve("child.log"), "listen", Integer.toString(port)).start()) {
            c.awaitReady(Readiness.portOpen(port), START);
            c.signal("STOP");
            assertThat(state(c.pid())).isEqualTo("T");
            c.signal("CONT");
            assertThat(state(c.pid())).isNotEqualTo("T");
        }
    }

    /** The process state letter from /proc (T = stopped). */
    private static String state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }
}
