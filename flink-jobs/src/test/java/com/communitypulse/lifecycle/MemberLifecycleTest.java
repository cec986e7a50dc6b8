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

    private static final long H = MemberLifecycle.HOUR_MS;

    @Test
    void shouldCountABurstAcrossMidnightAsOneSessionWhenBreaksAreShort() {
        MemberLifecycle m = new MemberLifecycle();
        long t = 1_000 * H;
        long prev = MemberLifecycle.NONE;
        // Weekly bursts of 3 h with an action every 30 min (whatever the calendar day), 9 weeks.
        for (int week = 0; week < 9; week++) {
            for (long at = t + week * 168 * H; at <= t + week * 168 * H + 3 * H; at += H / 2) {
                m.addActivity(at, prev, 16);
                prev = at;
            }
        }
        assertThat(m.gapHours()).hasSize(8).containsOnly(165);
        assertThat(m.gapQuantileHours(0.9)).isEqualTo(165);
        assertThat(m.gapQuantileHours(0.5)).isEqualTo(165);
    }

    @Test
    void shouldKeepOnlyTheLatestGapsAndSplitSessionsAfterTwelveHoursWhenHistoryIsFull() {
        MemberLifecycle m = new MemberLifecycle();
        m.addActivity(10 * H, MemberLifecycle.NONE, 4);
        m.addActivity(22 * H, 10 * H, 4); // exactly 12 h: the same session
        assertThat(m.gapHours()).isEmpty();
        long at = 22 * H;
        for (int g : new int[] {13, 30, 50, 100, 200}) {
            m.addActivity(at + g * H + 1, at, 4);
            at += g * H + 1;
        }
        assertThat(m.gapHours()).containsExactly(30, 50, 100, 200);
    }

    @Test
    void shouldTakeTheNearestRankQuantileSoThatOneLongBreakDoesNotSetTheRhythm() {
        MemberLifecycle m = new MemberLifecycle();
        int[] g = new int[16];
        java.util.Arrays.fill(g, 24);
        g[3] = 48;
        g[9] = 72;
        g[12] = 500; // one holiday
        m.setGapHours(g);
        assertThat(m.gapQuantileHours(0.9)).isEqualTo(72); // rank 15 of 16: the second largest
        assertThat(m.gapQuantileHours(0.5)).isEqualTo(24);
        assertThat(new MemberLifecycle().gapQuantileHours(0.9)).isZero();
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
