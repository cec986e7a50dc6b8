package com.communitypulse.job;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.DeadLetter;
import com.communitypulse.events.LateEvent;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.privacy.Pseudonymizer;
import com.communitypulse.testutils.Events;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lateness verdict must not depend on whether the job was restored in between (docs/SEMANTICS.md): the
 * per-partition maxima survive snapshot → restore, also at another parallelism.
 */
class RouteInputFunctionTest {
    private static final OutputTag<DeadLetter> DLQ = new OutputTag<>("dlq") {};
    private static final OutputTag<LateEvent> LATE = new OutputTag<>("late") {};
    private static final long OOO = 10 * ONE_SECOND;
    private static final long LATENESS = 5 * ONE_MINUTE;
    /** An event this far behind its partition's maximum is late; one millisecond less is not. */
    private static final long BEHIND = OOO + LATENESS + 1;
    private static final int MAX_PARALLELISM = 128;
    private static final String T = "pulse.messages";

    private final List<OneInputStreamOperatorTestHarness<ParsedRecord, PulseEvent>> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (var h : open) h.close();
    }

    private OneInputStreamOperatorTestHarness<ParsedRecord, PulseEvent> harness(int parallelism, int subtask, OperatorSubtaskState restore)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new RouteInputFunction(DLQ, LATE, Pseudonymizer.disabled(), OOO, LATENESS)), MAX_PARALLELISM, parallelism, subtask);
        open.add(h);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static PulseEvent send(OneInputStreamOperatorTestHarness<ParsedRecord, PulseEvent> h, int partition, long ts) throws Exception {
        PulseEvent e = Events.post("c1", "u1", ts);
        h.processElement(new StreamRecord<>(ParsedRecord.ofEvent(e).from(T, partition), ts));
        return e;
    }

    private static List<String> lateIds(OneInputStreamOperatorTestHarness<ParsedRecord, PulseEvent> h) {
        List<String> ids = new ArrayList<>();
        var late = h.getSideOutput(LATE);
        if (late != null) late.forEach(r -> ids.add(r.getValue().getEvent().getEventId()));
        return ids;
    }

    private static List<String> passedIds(OneInputStreamOperatorTestHarness<ParsedRecord, PulseEvent> h) {
        List<String> ids = new ArrayList<>();
        h.extractOutputValues().forEach(e -> ids.add(e.getEventId()));
        return ids;
    }

    @Test
    void shouldMarkLateAfterRestoreWhenSameRecordPassesWithFreshTracker() throws Exception {
        var before = harness(1, 0, null);
        send(before, 0, BEGINNING + ONE_HOUR);
        OperatorSubtaskState snap = before.snapshot(1, BEGINNING);

        // Without the checkpointed maximum the record right after the restored offset looks on time ...
        var fresh = harness(1, 0, null);
        PulseEvent unjudged = send(fresh, 0, BEGINNING + ONE_HOUR - BEHIND);
        assertThat(passedIds(fresh)).containsExactly(unjudged.getEventId());

        // ... with it, it is late, exactly as it would have been without the restore.
        var restored = harness(1, 0, snap);
        PulseEvent late = send(restored, 0, BEGINNING + ONE_HOUR - BEHIND);
        PulseEvent inTime = send(restored, 0, BEGINNING + ONE_HOUR - BEHIND + 1);
        assertThat(lateIds(restored)).containsExactly(late.getEventId());
        assertThat(restored.getSideOutput(LATE).peek().getValue().getWatermark()).isEqualTo(BEGINNING + ONE_HOUR - OOO);
        assertThat(passedIds(restored)).containsExactly(inTime.getEventId());
    }

    @Test
    void shouldKeepEveryPartitionsMaximumWhenRestoredAtLowerParallelism() throws Exception {
        var s0 = harness(2, 0, null);
        var s1 = harness(2, 1, null);
        send(s0, 0, BEGINNING + ONE_HOUR);
        send(s1, 1, BEGINNING + 2 * ONE_HOUR);
        OperatorSubtaskState packed = AbstractStreamOperatorTestHarness.repackageState(s0.snapshot(1, BEGINNING), s1.snapshot(1, BEGINNING));

        var one = harness(1, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(packed, MAX_PARALLELISM, 2, 1, 0));
        PulseEvent late0 = send(one, 0, BEGINNING + ONE_HOUR - BEHIND);
        PulseEvent late1 = send(one, 1, BEGINNING + 2 * ONE_HOUR - BEHIND);
        PulseEvent ok0 = send(one, 0, BEGINNING + ONE_HOUR - BEHIND + 1);
        assertThat(lateIds(one)).containsExactly(late0.getEventId(), late1.getEventId());
        assertThat(passedIds(one)).containsExactly(ok0.getEventId());
    }

    @Test
    void shouldJudgeReassignedPartitionWhenRestoredAtSameParallelism() throws Exception {
        var s0 = harness(2, 0, null);
        var s1 = harness(2, 1, null);
        send(s0, 0, BEGINNING + ONE_HOUR);
        send(s1, 1, BEGINNING + 2 * ONE_HOUR);
        OperatorSubtaskState packed = AbstractStreamOperatorTestHarness.repackageState(s0.snapshot(1, BEGINNING), s1.snapshot(1, BEGINNING));

        // The source may hand partition 1 to subtask 0 after the restore: union state gives it every maximum.
        var r0 = harness(2, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(packed, MAX_PARALLELISM, 2, 2, 0));
        var r1 = harness(2, 1, AbstractStreamOperatorTestHarness.repartitionOperatorState(packed, MAX_PARALLELISM, 2, 2, 1));
        PulseEvent late1 = send(r0, 1, BEGINNING + 2 * ONE_HOUR - BEHIND);
        PulseEvent late0 = send(r1, 0, BEGINNING + ONE_HOUR - BEHIND);
        assertThat(lateIds(r0)).containsExactly(late1.getEventId());
        assertThat(lateIds(r1)).containsExactly(late0.getEventId());
    }

    @Test
    void shouldUseLatestMaximumWhenStaleCopiesOfSamePartitionAreRestored() throws Exception {
        var s0 = harness(2, 0, null);
        var s1 = harness(2, 1, null);
        send(s0, 0, BEGINNING + ONE_HOUR);
        OperatorSubtaskState first = AbstractStreamOperatorTestHarness.repackageState(s0.snapshot(1, BEGINNING), s1.snapshot(1, BEGINNING));

        // After the restore both subtasks hold partition 0; only the one now reading it moves it on.
        var r0 = harness(2, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(first, MAX_PARALLELISM, 2, 2, 0));
        var r1 = harness(2, 1, AbstractStreamOperatorTestHarness.repartitionOperatorState(first, MAX_PARALLELISM, 2, 2, 1));
        send(r1, 0, BEGINNING + 3 * ONE_HOUR);
        OperatorSubtaskState second = AbstractStreamOperatorTestHarness.repackageState(r0.snapshot(2, BEGINNING), r1.snapshot(2, BEGINNING));

        var one = harness(1, 0, AbstractStreamOperatorTestHarness.repartitionOperatorState(second, MAX_PARALLELISM, 2, 1, 0));
        PulseEvent late = send(one, 0, BEGINNING + 3 * ONE_HOUR - BEHIND);
        assertThat(lateIds(one)).containsExactly(late.getEventId());
    }

    @Test
    void shouldRebuildFromReplayWhenRestoredStateHasNoMaxima() throws Exception {
        // A savepoint from before this state existed (golden savepoint 0.1.0) has nothing for the router.
        var restored = harness(1, 0, OperatorSubtaskState.builder().build());
        PulseEvent first = send(restored, 0, BEGINNING);
        send(restored, 0, BEGINNING + ONE_HOUR);
        PulseEvent late = send(restored, 0, BEGINNING + ONE_HOUR - BEHIND);
        assertThat(passedIds(restored)).startsWith(first.getEventId());
        assertThat(lateIds(restored)).containsExactly(late.getEventId());
    }

    @Test
    void shouldRouteDeadLettersWithoutTouchingLatenessWhenRecordIsNotAnEvent() throws Exception {
        var h = harness(1, 0, null);
        send(h, 0, BEGINNING + ONE_HOUR);
        DeadLetter d = new DeadLetter(T, 0, 7, "malformed JSON", "", 0);
        h.processElement(new StreamRecord<>(ParsedRecord.ofDeadLetter(d).from(T, 0)));
        assertThat(h.getSideOutput(DLQ)).extracting(r -> r.getValue().getOffset()).containsExactly(7L);
        assertThat(lateIds(h)).isEmpty();
    }
}
