package com.communitypulse.config;

import com.communitypulse.flags.UsageException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommunityOverridesTest {
    @TempDir Path tmp;

    @Test
    void shouldParseEachKeyLikeItsGlobalOptionWhenOverridden() throws Exception {
        Path f = tmp.resolve("t.properties");
        Files.writeString(f, "c42.at-risk-min = 10d\nshop.main.negative-spike.ratio = 0.25\nshop.main.negative-spike.min-authors = 5\n");
        CommunityOverrides o = CommunityOverrides.from(PulseConfig.defaults().with("thresholds.overrides", f.toString()));

        assertThat(o.get("c42", "at-risk-min", Duration.ofDays(7))).isEqualTo(Duration.ofDays(10));
        assertThat(o.get("c42", "negative-spike.ratio", 0.4)).isEqualTo(0.4);
        // The longest key wins, so community ids may contain dots.
        assertThat(o.get("shop.main", "negative-spike.ratio", 0.4)).isEqualTo(0.25);
        assertThat(o.get("shop.main", "negative-spike.min-authors", 3)).isEqualTo(5);
        assertThat(o.communitiesWithAny(List.of("negative-spike.ratio", "negative-spike.min-authors"))).containsExactly("shop.main");
        assertThat(o.communitiesWithAny(List.of("at-risk-min"))).containsExactly("c42");
    }

    @Test
    void shouldBeEmptyWhenNoFileIsConfigured() {
        CommunityOverrides o = CommunityOverrides.from(PulseConfig.defaults());
        assertThat(o.communitiesWithAny(List.copyOf(CommunityOverrides.KEYS.keySet()))).isEmpty();
        assertThat(o.get("c1", "negative-spike.min-messages", 10)).isEqualTo(10);
    }

    @Test
    void shouldNameTheLineAtFaultWhenAKeyOrValueIsWrong() throws Exception {
        Path f = tmp.resolve("bad.properties");
        Files.writeString(f, "c42.negative-spike.ratio = 1.5\n");
        assertThatThrownBy(() -> CommunityOverrides.read(f)).isInstanceOf(UsageException.class)
                .hasMessageContaining("c42.negative-spike.ratio = 1.5");
        Files.writeString(f, "c42.negative-spike = 0.3\n");
        assertThatThrownBy(() -> CommunityOverrides.read(f)).isInstanceOf(UsageException.class)
                .hasMessageContaining("'c42.negative-spike'").hasMessageContaining("negative-spike.ratio");
        assertThatThrownBy(() -> CommunityOverrides.read(tmp.resolve("missing.properties"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("thresholds.overrides").hasMessageContaining("does not exist");
    }
}
