package com.communitypulse.events;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatenessTrackerTest {
    private static final String T = "pulse.messages";
    private final LatenessTracker tracker = new LatenessTracker(10 * ONE_SECOND, 5 * ONE_MINUTE);

    @Test
    void shouldMarkLateWhenBehindOwnPartitionBeyondOutOfOrdernessPlusLateness() {
        assertThat(tracker.judge(T, 0, BEGINNING + ONE_HOUR)).isEqualTo(LatenessTracker.ON_TIME);
        assertThat(tracker.judge(T, 0, BEGINNING + ONE_HOUR - 5 * ONE_MINUTE - 11 * ONE_SECOND)).isEqualTo(BEGINNING + ONE_HOUR - 10 * ONE_SECOND);
        assertThat(tracker.judge(T, 0, BEGINNING + ONE_HOUR - 5 * ONE_MINUTE)).isEqualTo(LatenessTracker.ON_TIME);
    }

    @Test
    void shouldJudgeEachPartitionOnItsOwnWhenPartitionsProgressDifferently() {
        tracker.judge(T, 0, BEGINNING + ONE_DAY);
        assertThat(tracker.judge(T, 1, BEGINNING)).isEqualTo(LatenessTracker.ON_TIME);
    }

    @Test
    void shouldJudgeSamePartitionNumberOfAnotherTopicOnItsOwn() {
        tracker.judge(T, 0, BEGINNING + ONE_DAY);
        assertThat(tracker.judge("pulse.clicks", 0, BEGINNING)).isEqualTo(LatenessTracker.ON_TIME);
        // and back to the first topic (the one-entry lookup cache must not mix them up)
        assertThat(tracker.judge(T, 0, BEGINNING)).isNotEqualTo(LatenessTracker.ON_TIME);
    }

    @Test
    void shouldMarkLateAfterRestoreWhenOnlyTheCheckpointedMaximumIsKnown() {
        tracker.restore(T, 0, BEGINNING + ONE_HOUR);
        assertThat(tracker.judge(T, 0, BEGINNING)).isEqualTo(BEGINNING + ONE_HOUR - 10 * ONE_SECOND);
    }

    @Test
    void shouldKeepLargestMaximumWhenRestoredFromSeveralCopies() {
        tracker.restore(T, 0, BEGINNING + ONE_HOUR);
        tracker.restore(T, 0, BEGINNING);
        tracker.restore(T, 1, BEGINNING);
        tracker.restore(T, 1, BEGINNING + ONE_DAY);
        Map<String, Long> all = new HashMap<>();
        tracker.maxima().forEach((p, max) -> all.put(p.topic() + "/" + p.partition(), max));
        assertThat(all).containsExactlyInAnyOrderEntriesOf(Map.of(T + "/0", BEGINNING + ONE_HOUR, T + "/1", BEGINNING + ONE_DAY));
        assertThat(tracker.maxima()).hasSize(2);
    }

    @Test
    void shouldNotMoveMaximumWhenEventIsLate() {
        tracker.judge(T, 0, BEGINNING + ONE_HOUR);
        tracker.judge(T, 0, BEGINNING);
        Map<String, Long> all = new HashMap<>();
        tracker.maxima().forEach((p, max) -> all.put(p.topic() + "/" + p.partition(), max));
        assertThat(all).containsExactly(Map.entry(T + "/0", BEGINNING + ONE_HOUR));
    }
}
