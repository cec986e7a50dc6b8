package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import java.time.Duration;
import java.time.ZoneId;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopContributorsFunctionTest {
    private static final Granularity G = new Granularity(Duration.ofMinutes(1), ZoneId.of("Asia/Shanghai"));
    private KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, MetricRecord> h;

    private static KeyedOneInputStreamOperatorTestHarness<String, PulseEvent, MetricRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TopContributorsFunction(G, 2, 5 * ONE_MINUTE)),
                PulseEvent::getCommunityId, Types.STRING);
    }

    @BeforeEach
    void setUp() throws Exception {
        h = harness();
        h.open();
    }

    private void reply(String from, String to, long ts) throws Exception {
        h.processElement(new StreamRecord<>(Events.message("c1", from, ts, EventKind.REPLY).withReplyTo(to), ts));
    }

    @Test
    void shouldRankMembersByResponsesReceivedWhenDayIsComplete() throws Exception {
        reply("a", "lead", BEGINNING);
        reply("b", "lead", BEGINNING + ONE_MINUTE);
        reply("a", "zed", BEGINNING + ONE_MINUTE);
        reply("c", "amy", BEGINNING + ONE_MINUTE);
        reply("lead", "lead", BEGINNING + ONE_MINUTE); // self-reply: not counted
        h.processWatermark(DAY_START + ONE_DAY);
        assertThat(h.extractOutputValues()).isEmpty(); // waits for the allowed lateness
        h.processWatermark(DAY_START + ONE_DAY + 5 * ONE_MINUTE);
        MetricRecord r = h.extractOutputValues().get(0);
        assertThat(r.getKind()).isEqualTo(MetricRecord.CONTRIBUTORS);
        assertThat(r.getWindowStart()).isEqualTo(DAY_START);
        assertThat(r.getMembers()).containsExactly("lead", "amy");
        assertThat(r.getScores()).containsExactly(2, 1);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void shouldKeepCountsWhenRestoredFromSnapshot() throws Exception {
        reply("a", "lead", BEGINNING);
        OperatorSubtaskState snap = h.snapshot(1, BEGINNING);
        h.close();
        h = harness();
        h.initializeState(snap);
        h.open();
        h.processWatermark(DAY_START + 2 * ONE_DAY);
        assertThat(h.extractOutputValues().get(0).getMembers()).containsExactly("lead");
    }
}
