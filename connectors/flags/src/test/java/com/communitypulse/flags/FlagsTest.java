package com.communitypulse.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
    static final Option<String> OUT = Option.string("out", "", "output directory");
    static final Option<Integer> SEED = Option.integer("seed", 42, 0, 1000, "random seed");
    static final Option<Duration> WINDOW = Option.duration("metrics.window", "1m", "window size");
    static final Option<Double> SCORE = Option.decimal("alerts.max-score", -0.6, -1.0, 0.0, "score");
    static final Option<Boolean> CHECK = Option.flag("check", "validate and exit");
    static final Option<String> BOOTSTRAP = Option.string("kafka.bootstrap-servers", "127.0.0.1:9092", "brokers");

    static Flags flags() {
        return Flags.of(OUT, SEED, WINDOW, SCORE, CHECK, BOOTSTRAP);
    }

    @Test
    void shouldReadBothValueFormsAndSwitchesInTheOrderGiven() {
        Flags.Parsed p = flags().parse(List.of("--seed", "7", "--out=/tmp/x", "--check", "--alerts.max-score", "-0.7"));
        assertThat(p.help()).isFalse();
        assertThat(p.values()).containsExactly(java.util.Map.entry("seed", "7"), java.util.Map.entry("out", "/tmp/x"),
                java.util.Map.entry("check", "true"), java.util.Map.entry("alerts.max-score", "-0.7"));
        assertThat(p.get(SEED)).isEqualTo(7);
        assertThat(p.get(SCORE)).isEqualTo(-0.7);
        assertThat(p.get(CHECK)).isTrue();
        assertThat(p.has(WINDOW)).isFalse();
        assertThat(p.get(WINDOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.raw(BOOTSTRAP)).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void shouldKeepAnEqualsSignInsideTheValueAndAcceptAnEmptyOne() {
        Flags.Parsed p = flags().parse(List.of("--out=a=b", "--kafka.bootstrap-servers="));
        assertThat(p.raw(OUT)).isEqualTo("a=b");
        assertThat(p.raw(BOOTSTRAP)).isEmpty();
    }

    @Test
    void shouldSuggestTheNearestOptionWhenOneIsMisspelled() {
        assertThatThrownBy(() -> flags().parse(List.of("--kafka.bootstrap-server", "k:9092")))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option --kafka.bootstrap-server: did you mean --kafka.bootstrap-servers?");
        assertThatThrownBy(() -> flags().parse(List.of("--window", "5m")))
                .hasMessage("unknown option --window: did you mean --metrics.window?");
        assertThatThrownBy(() -> flags().parse(List.of("--seeed", "1"))).hasMessage("unknown option --seeed: did you mean --seed?");
        assertThatThrownBy(() -> flags().parse(List.of("--otu", "x"))).hasMessage("unknown option --otu: did you mean --out?");
        assertThatThrownBy(() -> flags().parse(List.of("--kafka.bootstrap=x")))
                .hasMessage("unknown option --kafka.bootstrap: did you mean --kafka.bootstrap-servers?");
    }

    @Test
    void shouldListTheOptionsOrSayWhereTheyAreWhenNothingIsNear() {
        assertThatThrownBy(() -> Flags.of(OUT, SEED).context("cluster stop").hint("job options go to 'pulse cluster submit'")
                .parse(List.of("--frobnicate", "1")))
                .hasMessage("unknown option --frobnicate for 'cluster stop': use --out or --seed (job options go to 'pulse cluster submit')");
        List<Option<?>> many = new ArrayList<>();
        for (int i = 0; i < Flags.LIST_AT_MOST + 1; i++) many.add(Option.string("opt" + i, "", ""));
        assertThatThrownBy(() -> Flags.of(many).help("'pulse x --help'").parse(List.of("--frobnicate", "1")))
                .hasMessage("unknown option --frobnicate: see 'pulse x --help' for the list");
    }

    @Test
    void shouldNameTheFlagWhenItsValueIsMissing() {
        assertThatThrownBy(() -> flags().parse(List.of("--out")))
                .isInstanceOf(UsageException.class).hasMessage("--out needs a value: --out=VALUE or --out VALUE");
        assertThatThrownBy(() -> flags().parse(List.of("--out", "--seed", "1"))).hasMessage("--out needs a value: --out=VALUE or --out VALUE");
        assertThatThrownBy(() -> flags().parse(List.of("--out", "--bogus"))).hasMessage("--out needs a value: --out=VALUE or --out VALUE");
    }

    @Test
    void shouldRejectAValueOnASwitch() {
        assertThatThrownBy(() -> flags().parse(List.of("--check=yes"))).hasMessage("--check takes no value: pass --check alone");
    }

    @Test
    void shouldRejectAFlagGivenTwice() {
        assertThatThrownBy(() -> flags().parse(List.of("--seed", "1", "--seed=2"))).hasMessage("--seed given twice: give it once");
    }

    @Test
    void shouldRejectAStrayArgument() {
        assertThatThrownBy(() -> flags().parse(List.of("--seed", "1", "stray")))
                .hasMessage("unexpected argument 'stray': options look like --key value (see --help)");
        assertThatThrownBy(() -> flags().parse(List.of("@args.txt")))
                .hasMessage("unexpected argument '@args.txt': options look like --key value (see --help)");
    }

    @Test
    void shouldLeaveTypeErrorsToTheOptionWithAMessageNamingTheFix() {
        Flags.Parsed p = flags().parse(List.of("--seed", "many", "--metrics.window", "soon"));
        assertThatThrownBy(() -> p.get(SEED)).isInstanceOf(UsageException.class)
                .hasMessage("Invalid value 'many' for seed: use an integer between 0 and 1000");
        assertThatThrownBy(() -> p.get(WINDOW))
                .hasMessage("Invalid value 'soon' for metrics.window: use a duration such as 500ms, 30s, 5m, 2h, 7d or PT1M");
    }

    @Test
    void shouldReportHelpAnywhereAndSkipEveryOtherCheck() {
        assertThat(flags().parse(List.of("--bogus", "--help")).help()).isTrue();
        assertThat(flags().parse(List.of("-h")).help()).isTrue();
        assertThat(Flags.wantsHelp(new String[] {"--seed", "1", "--help"})).isTrue();
        assertThat(Flags.wantsHelp(new String[] {"--seed", "1"})).isFalse();
    }

    @Test
    void shouldMatchFlagNamesExactly() {
        assertThatThrownBy(() -> flags().parse(List.of("--OUT", "x"))).hasMessageStartingWith("unknown option --OUT");
        assertThatThrownBy(() -> flags().parse(List.of("--ou", "x"))).hasMessageStartingWith("unknown option --ou");
    }

    @Test
    void shouldCountASwappedPairAsOneEdit() {
        assertThat(Flags.distance("prot", "port")).isEqualTo(1);
        assertThat(Flags.distance("windw", "window")).isEqualTo(1);
        assertThat(Flags.distance("bogus", "seed")).isGreaterThan(2);
    }

    @Test
    void shouldRefuseTheSameOptionDeclaredTwice() {
        assertThatThrownBy(() -> Flags.of(OUT, Option.string("out", "", ""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameTheEnvironmentVariableOfAnOption() {
        assertThat(BOOTSTRAP.envName()).isEqualTo("PULSE_KAFKA_BOOTSTRAP_SERVERS");
    }
}
