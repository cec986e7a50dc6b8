package com.communitypulse.events;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.testutils.Events;
import org.junit.jupiter.api.Test;

class LatenessTrackerTest {
    private final LatenessTracker tracker = new LatenessTracker(10 * ONE_SECOND, 5 * ONE_MINUTE);

    private ParsedRecord at(long ts) {
        return ParsedRecord.ofEvent(Events.post("c", "u", ts));
    }

    @Test
    void shouldMarkLateWhenBehindOwnPartitionBeyondOutOfOrdernessPlusLateness() {
        tracker.track(0, at(BEGINNING + ONE_HOUR));
        ParsedRecord late = tracker.track(0, at(BEGINNING + ONE_HOUR - 5 * ONE_MINUTE - 11 * ONE_SECOND));
        assertThat(late.isLate()).isTrue();
        assertThat(late.getLateAt()).isEqualTo(BEGINNING + ONE_HOUR - 10 * ONE_SECOND);
        assertThat(tracker.track(0, at(BEGINNING + ONE_HOUR - 5 * ONE_MINUTE)).isLate()).isFalse();
    }

    @Test
    void shouldJudgeEachPartitionOnItsOwnWhenPartitionsProgressDifferently() {
        tracker.track(0, at(BEGINNING + ONE_DAY));
        assertThat(tracker.track(1, at(BEGINNING)).isLate()).isFalse();
    }

    @Test
    void shouldIgnoreDeadLettersWhenTracking() {
        ParsedRecord d = ParsedRecord.ofDeadLetter(new DeadLetter("t", 0, 0, "r", "", 0));
        assertThat(tracker.track(0, d).isLate()).isFalse();
    }
}
