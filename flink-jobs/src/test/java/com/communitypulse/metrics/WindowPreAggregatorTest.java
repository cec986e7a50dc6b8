package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEventSerializer;
import com.communitypulse.testutils.Events;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WindowPreAggregatorTest {
    static final OutputTag<PulseEvent> LATE = new OutputTag<>("window-late") {};
    static final Granularity G = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
    static final long LATENESS = 5 * ONE_MINUTE;
    /** BEGINNING is a minute, hour and day-aligned instant plus 10 h; its base window ends a minute later. */
    private static final long MINUTE_END = BEGINNING + ONE_MINUTE - 1;

    private OneInputStreamOperatorTestHarness<PulseEvent, WindowPartial> h;
    private WindowPreAggregator op;

    private static OneInputStreamOperatorTestHarness<PulseEvent, WindowPartial> harness(WindowPreAggregator op) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(op, PulseEventSerializer.INSTANCE);
    }

    private void open(int maxEntries) throws Exception {
        op = new WindowPreAggregator(G, LATENESS, LATE, maxEntries);
        h = harness(op);
        h.open();
    }

    @BeforeEach
    void setUp() throws Exception {
        open(50_000);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private void send(PulseEvent e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.getTs()));
    }

    /** Partials and watermarks in output order, as "community g start" and "wm t". */
    private List<String> drained() {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm " + w.getTimestamp());
            } else {
                WindowPartial p = (WindowPartial) ((StreamRecord<?>) o).getValue();
                out.add(p.getCommunityId() + " " + p.getGranularity() + " " + p.getWindowStart());
            }
        }
        h.getOutput().clear();
        return out;
    }

    private List<WindowPartial> partials() {
        return h.extractOutputValues();
    }

    @Test
    void shouldFlushOnlyCompletedWindowsAheadOfTheWatermarkWhenWatermarkArrives() throws Exception {
        send(Events.post("c1", "u1", BEGINNING + 5 * ONE_SECOND));
        send(Events.post("c1", "u2", BEGINNING + 50 * ONE_SECOND));
        send(Events.post("c1", "u1", BEGINNING + 70 * ONE_SECOND));
        h.processWatermark(MINUTE_END - 1);
        assertThat(drained()).containsExactly("wm " + (MINUTE_END - 1));

        h.processWatermark(MINUTE_END);
        List<WindowPartial> first = partials();
        assertThat(drained()).containsExactly("* 0 " + BEGINNING, "c1 0 " + BEGINNING, "wm " + MINUTE_END);
        assertThat(first.get(1).getCounts()[WindowAccumulator.POSTS]).isEqualTo(2);
        assertThat(op.heldPartials()).isEqualTo(6); // next minute, hour and day for c1 and "*"

        h.processWatermark(BEGINNING + 2 * ONE_MINUTE - 1);
        assertThat(drained()).containsExactly("* 0 " + (BEGINNING + ONE_MINUTE), "c1 0 " + (BEGINNING + ONE_MINUTE),
                "wm " + (BEGINNING + 2 * ONE_MINUTE - 1));
    }

    @Test
    void shouldCountEventIntoCommunityAndGlobalWithEachScopesTouchesWhenEventHasCommunity() throws Exception {
        PulseEvent post = Events.post("c1", "u1", BEGINNING);
        post.setTouches(MemberTouches.bit(MemberTouches.COMMUNITY, Granularity.BASE, MemberTouches.ACTIVE)
                | MemberTouches.bit(MemberTouches.GLOBAL, Granularity.HOUR, MemberTouches.SPEAKING));
        send(post);
        send(Events.click("u2", BEGINNING, null, null));
        h.prepareSnapshotPreBarrier(1);
        List<WindowPartial> out = partials();
        // by window start (the day began at midnight, the minute and the hour at BEGINNING), then granularity, then community
        assertThat(out).extracting(p -> p.getCommunityId() + " " + p.getGranularity())
                .containsExactly("* 2", "c1 2", "* 0", "c1 0", "* 1", "c1 1");
        WindowPartial globalMinute = out.get(2), c1Minute = out.get(3), globalHour = out.get(4), c1Hour = out.get(5);
        assertThat(c1Minute.getCounts()[WindowAccumulator.ACTIVE]).isEqualTo(1);
        assertThat(c1Minute.getCounts()[WindowAccumulator.CLICKS]).isZero();
        assertThat(globalMinute.getCounts()[WindowAccumulator.ACTIVE]).isZero();
        assertThat(globalMinute.getCounts()[WindowAccumulator.CLICKS]).isEqualTo(1);
        assertThat(globalHour.getCounts()[WindowAccumulator.SPEAKING]).isEqualTo(1);
        assertThat(c1Hour.getCounts()[WindowAccumulator.SPEAKING]).isZero();
        assertThat(globalHour.getCounts()[WindowAccumulator.MESSAGES]).isEqualTo(1);
    }

    @Test
    void shouldFlushEveryPartialAndKeepNoStateWhenCheckpointBarrierComes() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.post("c2", "u1", BEGINNING + 3 * ONE_MINUTE));
        h.processWatermark(BEGINNING - 1);
        drained();
        h.prepareSnapshotPreBarrier(7);
        assertThat(partials()).hasSize(4 + 3 + 3); // minutes: c1, c2, "*" twice; the hour and the day: c1, c2, "*"
        assertThat(op.heldPartials()).isZero();
        OperatorSubtaskState snapshot = h.snapshot(7, BEGINNING);
        assertThat(snapshot.getManagedKeyedState()).isEmpty();
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        h.getOutput().clear();
        h.processWatermark(BEGINNING + ONE_DAY);
        assertThat(drained()).containsExactly("wm " + (BEGINNING + ONE_DAY));
    }

    @Test
    void shouldSendEventToSideOutputOnceAndStillCountItsHourWhenBaseWindowIsLate() throws Exception {
        h.processWatermark(MINUTE_END + LATENESS);
        PulseEvent late = Events.post("c1", "u1", BEGINNING + 10 * ONE_SECOND);
        send(late);
        assertThat(h.getSideOutput(LATE)).extracting(StreamRecord::getValue).containsExactly(late);
        h.prepareSnapshotPreBarrier(1);
        assertThat(partials()).extracting(p -> p.getCommunityId() + " " + p.getGranularity())
                .containsExactly("* 2", "c1 2", "* 1", "c1 1");
    }

    @Test
    void shouldTakeEventWhenBaseWindowIsJustWithinLateness() throws Exception {
        h.processWatermark(MINUTE_END + LATENESS - 1);
        send(Events.post("c1", "u1", BEGINNING + 10 * ONE_SECOND));
        assertThat(h.getSideOutput(LATE)).isNull();
        h.processWatermark(MINUTE_END + LATENESS);
        assertThat(partials()).extracting(p -> p.getCommunityId() + " " + p.getGranularity()).containsExactly("* 0", "c1 0");
    }

    @Test
    void shouldCountEventOnlyForGlobalTotalWhenEventHasNoCommunity() throws Exception {
        send(Events.click("u1", BEGINNING, null, null));
        h.processWatermark(MINUTE_END);
        assertThat(partials()).extracting(WindowPartial::getCommunityId).containsExactly("*");
    }

    @Test
    void shouldFlushEverythingWhenMoreThanTheBoundArePending() throws Exception {
        h.close();
        open(7);
        send(Events.post("c1", "u1", BEGINNING)); // 6 partials
        assertThat(partials()).isEmpty();
        send(Events.post("c2", "u1", BEGINNING)); // 9 > 7
        assertThat(partials()).hasSize(9);
        assertThat(op.heldPartials()).isZero();
    }

    @Test
    void shouldFlushEveryWindowAheadOfFinalWatermarkWhenInputEnds() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        h.processWatermark(Watermark.MAX_WATERMARK);
        List<String> out = drained();
        assertThat(out).hasSize(7).last().isEqualTo("wm " + Long.MAX_VALUE);
    }

    @Test
    void shouldFlushWhatIsLeftWhenFinished() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        h.close();
        assertThat(partials()).hasSize(6);
        h = null;
    }

    @Test
    void shouldRejectNegativeLatenessAndEmptyBound() {
        assertThatThrownBy(() -> new WindowPreAggregator(G, -1, LATE, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lateness");
        assertThatThrownBy(() -> new WindowPreAggregator(G, 0, LATE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound");
    }
}
