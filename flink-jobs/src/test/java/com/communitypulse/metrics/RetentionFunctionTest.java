package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RetentionFunctionTest {
    @Test
    void shouldEmitFourRevisionsWithRatiosOfCompleteDaysAndThenClear() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new RetentionFunction(5 * ONE_MINUTE)),
                RetentionDelta::getCommunityId, Types.STRING);
        h.open();
        for (int i = 0; i < 4; i++) h.processElement(new StreamRecord<>(new RetentionDelta("c1", DAY_START, RetentionDelta.COHORT), BEGINNING));
        h.processElement(new StreamRecord<>(new RetentionDelta("c1", DAY_START, RetentionDelta.D1), BEGINNING + ONE_DAY));
        h.processWatermark(DAY_START + 2 * ONE_DAY + 5 * ONE_MINUTE);
        assertThat(h.extractOutputValues()).hasSize(2);
        MetricRecord d1 = h.extractOutputValues().get(1);
        assertThat(d1.getRevision()).isEqualTo(1);
        assertThat(d1.getMetrics()).containsEntry("cohort", 4.0).containsEntry("d1", 0.25).doesNotContainKey("d7");
        h.processWatermark(DAY_START + 40 * ONE_DAY);
        assertThat(h.extractOutputValues()).hasSize(4);
        assertThat(h.extractOutputValues().get(3).getMetrics()).containsEntry("d30", 0.0);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
