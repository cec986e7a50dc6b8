package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEvent.Attribution;
import com.communitypulse.testutils.Events;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AttributionOperatorTest {
    private KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> h;

    private static KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new AttributionOperator(ONE_DAY, 30 * ONE_DAY), PulseEvent::getUserId, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    private void send(PulseEvent e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.getTs()));
    }

    private List<PulseEvent> orders() {
        return h.extractOutputValues().stream().filter(e -> e.getOrderId() != null).toList();
    }

    @Test
    void shouldKeepOrderCommunityWhenOrderCarriesIt() throws Exception {
        send(Events.paid("o1", "u1", BEGINNING, 100, "c9", null));
        assertThat(orders()).isEmpty(); // held until the watermark reaches it
        h.processWatermark(BEGINNING);
        assertThat(orders()).singleElement().satisfies(o -> {
            assertThat(o.getCommunityId()).isEqualTo("c9");
            assertThat(o.getAttribution()).isEqualTo(Attribution.DIRECT);
        });
    }

    @Test
    void shouldUseShareCommunityBeforeLastClickWhenShareIdWasClicked() throws Exception {
        send(Events.click("u1", BEGINNING, "c1", "s1"));
        send(Events.click("u1", BEGINNING + ONE_MINUTE, "c2", null));
        send(Events.paid("o1", "u1", BEGINNING + 2 * ONE_MINUTE, 100, null, "s1"));
        h.processWatermark(BEGINNING + ONE_HOUR);
        assertThat(orders()).singleElement().satisfies(o -> {
            assertThat(o.getCommunityId()).isEqualTo("c1");
            assertThat(o.getAttribution()).isEqualTo(Attribution.SHARE_ID);
        });
    }

    @Test
    void shouldUseLatestCommunityClickWhenWithinWindowEvenIfClickArrivesAfterOrder() throws Exception {
        send(Events.paid("o1", "u1", BEGINNING + 2 * ONE_HOUR, 100, null, null));
        send(Events.click("u1", BEGINNING, "c1", null));
        send(Events.click("u1", BEGINNING + ONE_HOUR, "c2", null));
        send(Events.click("u1", BEGINNING + 3 * ONE_HOUR, "c3", null)); // after the order: ignored
        h.processWatermark(BEGINNING + 2 * ONE_HOUR);
        assertThat(orders()).singleElement().satisfies(o -> {
            assertThat(o.getCommunityId()).isEqualTo("c2");
            assertThat(o.getAttribution()).isEqualTo(Attribution.LAST_CLICK);
        });
    }

    @Test
    void shouldLeaveUnattributedWhenLastClickIsOutsideWindow() throws Exception {
        send(Events.click("u1", BEGINNING, "c1", null));
        send(Events.paid("o1", "u1", BEGINNING + ONE_DAY + ONE_MINUTE, 100, null, null));
        h.processWatermark(BEGINNING + 2 * ONE_DAY);
        assertThat(orders()).singleElement().satisfies(o -> {
            assertThat(o.getCommunityId()).isNull();
            assertThat(o.getAttribution()).isEqualTo(Attribution.UNATTRIBUTED);
        });
    }

    @Test
    void shouldReverseGmvInPaidOrdersCommunityWhenRefunded() throws Exception {
        send(Events.click("u1", BEGINNING, "c1", null));
        send(Events.paid("o1", "u1", BEGINNING + ONE_MINUTE, 100, null, null));
        send(Events.click("u1", BEGINNING + ONE_HOUR, "c2", null));
        send(Events.refunded("o1", "u1", BEGINNING + 2 * ONE_HOUR, 100));
        h.processWatermark(BEGINNING + 3 * ONE_HOUR);
        assertThat(orders()).extracting(PulseEvent::getCommunityId).containsExactly("c1", "c1");
    }

    @Test
    void shouldClearAllStateWhenUserInactiveBeyondHorizon() throws Exception {
        send(Events.click("u1", BEGINNING, "c1", "s1"));
        send(Events.paid("o1", "u1", BEGINNING + ONE_MINUTE, 100, null, "s1"));
        h.processWatermark(BEGINNING + 31 * ONE_DAY + ONE_HOUR);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldAttributeSameWayWhenRestoredFromSnapshot() throws Exception {
        send(Events.click("u1", BEGINNING, "c1", "s1"));
        send(Events.paid("o1", "u1", BEGINNING + ONE_MINUTE, 100, null, "s1"));
        OperatorSubtaskState snap = h.snapshot(1, BEGINNING);
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        h.processWatermark(BEGINNING + ONE_HOUR);
        assertThat(orders()).singleElement().satisfies(o -> assertThat(o.getCommunityId()).isEqualTo("c1"));
    }
}
