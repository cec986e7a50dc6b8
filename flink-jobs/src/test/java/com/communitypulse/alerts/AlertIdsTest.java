package com.communitypulse.alerts;

import static com.communitypulse.testutils.Instants.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class AlertIdsTest {
    @Test
    void shouldGiveSameIdWhenSamePartsAreHashedAgain() {
        String a = AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING, "firing");
        assertThat(a).matches("[0-9a-f]{32}").isEqualTo(AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING, "firing"));
    }

    @Test
    void shouldGiveDifferentIdsWhenAnyPartDiffers() {
        List<String> ids = List.of(
                AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING, "firing"),
                AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING, "resolved"),
                AlertIds.of(AlertType.CHURN_SPIKE, "c1", null, BEGINNING, "firing"),
                AlertIds.of(AlertType.NEGATIVE_SPIKE, "c2", null, BEGINNING, "firing"),
                AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", "u1", BEGINNING, "firing"),
                AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING + 1, "firing"),
                // the separator keeps "c1"+"u" apart from "c1u"+""
                AlertIds.of(AlertType.MEMBER_CHURNED, "c1", "u", BEGINNING),
                AlertIds.of(AlertType.MEMBER_CHURNED, "c1u", null, BEGINNING));
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void shouldRejectStateMismatchWhenBuildingRecords() {
        assertThatThrownBy(() -> new AlertRecord("x", AlertType.NEGATIVE_SPIKE, Severity.INFO, "c1", null, 0, 0, null, "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a state");
        assertThatThrownBy(() -> new AlertRecord("x", AlertType.MEMBER_CHURNED, Severity.INFO, "c1", "u1", 0, 0, AlertState.FIRING, "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no state");
    }

    @Test
    void shouldBeKryoFreePojosWhenUsedAsRecordsOrState() {
        for (Class<?> c : List.of(AlertRecord.class, NegativeDigest.class, SpikeBucket.class, SpikeCounts.class, SpikeBaseline.class, SpikeEpisode.class,
                MessageRef.class, com.communitypulse.sentiment.ScoredMessage.class)) {
            TypeInformation<?> t = TypeInformation.of(c);
            assertThat(t).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            assertThat(t.toString()).as(c.getSimpleName() + " has no generic (Kryo) field").doesNotContain("GenericType");
            assertThat(t).isNotInstanceOf(GenericTypeInfo.class);
        }
    }
}
