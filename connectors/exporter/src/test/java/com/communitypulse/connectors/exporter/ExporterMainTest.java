package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ExporterMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintEveryOptionWhenAskedForHelp() {
        assertThat(run("--help")).isZero();
        for (com.communitypulse.flags.Option<String> o : ExporterConfig.ALL) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("--" + o.key());
        }
    }

    @Test
    void shouldFailWithOneLineWhenAnOptionIsInvalid() {
        assertThat(run("--top-n", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pulse exporter: invalid value '0' for --top-n: use an integer in [1, 1000]" + System.lineSeparator());
    }

    @Test
    void shouldNameTheKnownOptionsWhenAnOptionIsUnknown() {
        assertThat(run("--prot", "1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pulse exporter: unknown option --prot: did you mean --port?" + System.lineSeparator());
    }

    @Test
    void shouldBindLoopbackByDefaultAndTakeFlagsOverEnvironmentWhenBothAreSet() {
        ExporterConfig c = ExporterConfig.parse(List.of("--port", "9000"), Map.of("PULSE_PORT", "9100", "PULSE_KAFKA_BOOTSTRAP_SERVERS", "k:9092"));
        assertThat(c.get(ExporterConfig.BIND_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.integer(ExporterConfig.PORT)).isEqualTo(9000);
        assertThat(c.get(ExporterConfig.BOOTSTRAP)).isEqualTo("k:9092");
        assertThatThrownBy(() -> ExporterConfig.parse(List.of("--from", "middle"), Map.of())).hasMessageContaining("earliest or latest");
    }
}
