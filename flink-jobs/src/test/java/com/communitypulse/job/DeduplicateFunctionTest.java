package com.communitypulse.job;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.LateEvent;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicateFunctionTest {
    private static final OutputTag<LateEvent> LATE = new OutputTag<>("late") {};
    private KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> h;

    private static KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                com.communitypulse.state.WriteBackOperators.of(new DeduplicateFunction(5 * ONE_MINUTE, 15 * ONE_MINUTE, LATE)), PulseEvent::getUserId, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    private void send(PulseEvent e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.getTs()));
    }

    @Test
    void shouldDropRepeatedEventIdWhenDeliveredTwice() throws Exception {
        PulseEvent e = Events.post("c1", "u1", BEGINNING);
        send(e);
        send(e.copy());
        assertThat(h.extractOutputValues()).containsExactly(e);
    }

    @Test
    void shouldRouteToLateOutputWhenBehindWatermarkBeyondLateness() throws Exception {
        h.processWatermark(BEGINNING + ONE_HOUR);
        PulseEvent late = Events.post("c1", "u1", BEGINNING);
        send(late);
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.getSideOutput(LATE)).extracting(r -> r.getValue().getEvent()).containsExactly(late);
        PulseEvent withinLateness = Events.post("c1", "u1", BEGINNING + ONE_HOUR - 4 * ONE_MINUTE);
        send(withinLateness);
        assertThat(h.extractOutputValues()).containsExactly(withinLateness);
    }

    @Test
    void shouldForgetIdsAndClearStateWhenWatermarkPassesHorizon() throws Exception {
        send(Events.post("c1", "u1", BEGINNING));
        send(Events.post("c1", "u2", BEGINNING + ONE_MINUTE));
        assertThat(storedEntries(h)).isEqualTo(2); // one id queue per user
        assertThat(h.numEventTimeTimers()).as("one cleanup timer per user").isEqualTo(2);
        // The cleanup timer is one horizon (15 min) after the newest id, rounded up to the hour.
        h.processWatermark(BEGINNING + 20 * ONE_MINUTE);
        assertThat(storedEntries(h)).isEqualTo(2);
        h.processWatermark(BEGINNING + ONE_HOUR + 16 * ONE_MINUTE);
        assertThat(storedEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldKeepYoungerIdsWhenOlderOnesExpire() throws Exception {
        PulseEvent old = Events.post("c1", "u1", BEGINNING);
        PulseEvent young = Events.post("c1", "u1", BEGINNING + 10 * ONE_MINUTE);
        send(old);
        send(young);
        h.processWatermark(BEGINNING + 17 * ONE_MINUTE); // past old + 15 min, not young + 15 min
        send(young.copy());
        assertThat(h.extractOutputValues()).containsExactly(old, young);
        assertThat(storedEntries(h)).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void shouldStillDropDuplicateWhenRestoredFromSnapshot() throws Exception {
        PulseEvent e = Events.post("c1", "u1", BEGINNING);
        send(e);
        OperatorSubtaskState snap = h.snapshot(1, BEGINNING);
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        send(e.copy());
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }

    private static long checkpoints;

    /** Keyed state entries in the backend once a checkpoint has written the cached values back. */
    private static int storedEntries(KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, PulseEvent> x) throws Exception {
        x.snapshot(++checkpoints, checkpoints);
        return x.numKeyedStateEntries();
    }
}
