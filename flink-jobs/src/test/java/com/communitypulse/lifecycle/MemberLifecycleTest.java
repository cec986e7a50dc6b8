package com.communitypulse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberLifecycleTest {

    @Test
    void shouldCountReceivedOverTheTwentyEightDaysEndingAtTheGivenDayInAnyArrivalOrder() {
        MemberLifecycle a = new MemberLifecycle();
        MemberLifecycle b = new MemberLifecycle();
        int[] days = {100, 101, 101, 127, 128, 90, 73};
        for (int d : days) a.addReceived(d);
        for (int i = days.length - 1; i >= 0; i--) b.addReceived(days[i]);

        for (MemberLifecycle m : new MemberLifecycle[] {a, b}) {
            assertThat(m.receivedUpTo(127)).isEqualTo(4); // days 100..127
            assertThat(m.receivedUpTo(128)).isEqualTo(4); // days 101..128
            assertThat(m.receivedUpTo(100)).isEqualTo(3); // days 73..100
        }
        assertThat(a.getReceivedDays()).containsExactly(b.getReceivedDays());
        assertThat(a.getReceivedDays()).containsExactly(73, 1, 90, 1, 100, 1, 101, 2, 127, 1, 128, 1);
    }

    @Test
    void shouldKeepDaysAnAlertStillReadsWhenRepliesArriveWeeksAhead() {
        MemberLifecycle m = new MemberLifecycle();
        for (int d = 200; d < 228; d++) m.addReceived(d);
        // Replies from 35 days later arrive before the member's own events are processed.
        m.addReceived(262);
        assertThat(m.receivedUpTo(227)).isEqualTo(28);
    }

    @Test
    void shouldDropDaysOnceTheyAreSixtyFourDaysBehindTheNewest() {
        MemberLifecycle m = new MemberLifecycle();
        m.addReceived(10);
        m.addReceived(20);
        m.addReceived(74); // 10 is now 64 days behind: dropped
        assertThat(m.getReceivedDays()).containsExactly(20, 1, 74, 1);
        m.addReceived(5); // older than anything still read: ignored
        assertThat(m.getReceivedDays()).containsExactly(20, 1, 74, 1);
    }

    @Test
    void shouldTreatAStateWithoutReceivedDaysAsNoneWhenRestoredFromAnOlderLayout() {
        MemberLifecycle m = new MemberLifecycle();
        m.setReceivedDays(null);
        assertThat(m.receivedUpTo(100)).isZero();
        m.addReceived(100);
        assertThat(m.receivedUpTo(100)).isEqualTo(1);
    }
}
