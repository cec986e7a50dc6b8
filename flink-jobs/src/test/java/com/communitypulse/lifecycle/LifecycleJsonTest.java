package com.communitypulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.testutils.Schemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleJsonTest {
    @TempDir Path tmp;

    @Test
    void shouldWriteSchemaValidRecordWithNoneForFirstTransition() {
        String json = new String(LifecycleJson.toJson(new LifecycleRecord("c1", "u1", null, LifecycleStage.NEW, 1700000000000L, "joined")),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"schema_version\":1,\"community_id\":\"c1\",\"user_id\":\"u1\",\"from\":\"none\",\"to\":\"new\","
                + "\"event_ts\":1700000000000,\"reason\":\"joined\"}");
        assertThat(Schemas.validate("lifecycle", json)).isEmpty();
    }

    @Test
    void shouldValidateEveryStageAgainstSchema() {
        for (LifecycleStage from : LifecycleStage.values()) {
            for (LifecycleStage to : LifecycleStage.values()) {
                String json = new String(LifecycleJson.toJson(new LifecycleRecord("c", "u", from, to, 1L, "inactive")), StandardCharsets.UTF_8);
                assertThat(Schemas.validate("lifecycle", json)).as(json).isEmpty();
            }
        }
    }

    @Test
    void shouldReadPerCommunityOverridesWhenFileIsGiven() throws Exception {
        Path f = tmp.resolve("lc.properties");
        Files.writeString(f, "c42.at-risk-min = 10d\nshop.main.churn-spike.min-count = 25\n");
        LifecycleSettings s = LifecycleSettings.from(PulseConfig.defaults().with("thresholds.overrides", f.toString()));
        assertThat(s.of("c42").atRiskMinMs).isEqualTo(10 * 86_400_000L);
        assertThat(s.of("c42").spikeMinCount).isEqualTo(10);
        assertThat(s.of("shop.main").spikeMinCount).isEqualTo(25);
        assertThat(s.of("other")).isSameAs(s.global);
    }

    @Test
    void shouldRejectUnknownOverrideKeyWithTheLineAtFault() throws Exception {
        Path f = tmp.resolve("bad.properties");
        Files.writeString(f, "c42.at-risk = 10d\n");
        assertThatThrownBy(() -> LifecycleSettings.from(PulseConfig.defaults().with("thresholds.overrides", f.toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("'c42.at-risk'");
        Files.writeString(f, "c42.at-risk-min = soon\n");
        assertThatThrownBy(() -> LifecycleSettings.from(PulseConfig.defaults().with("thresholds.overrides", f.toString())))
                .isInstanceOf(UsageException.class).hasMessageContaining("c42");
    }

    @Test
    void shouldRejectRetentionShorterThanChurnPeriod() {
        assertThatThrownBy(() -> PulseConfig.defaults().with("lifecycle.retention", "10d"))
                .isInstanceOf(UsageException.class).hasMessageContaining("lifecycle.retention");
    }
}
