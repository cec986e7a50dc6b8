package com.communitypulse.metrics;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import org.junit.jupiter.api.Test;

class WindowMetricsAggregatorTest {
    private final WindowMetricsAggregator agg = new WindowMetricsAggregator(Granularity.BASE);

    @Test
    void shouldCountKindsGmvSentimentAndFirstTouchesWhenEventsAdded() {
        WindowAccumulator acc = agg.createAccumulator();
        PulseEvent post = Events.post("c1", "u1", BEGINNING);
        post.setSentiment((byte) -1);
        post.setTouches(MemberTouches.bit(MemberTouches.COMMUNITY, Granularity.BASE, MemberTouches.ACTIVE)
                | MemberTouches.bit(MemberTouches.COMMUNITY, Granularity.BASE, MemberTouches.SPEAKING)
                | MemberTouches.bit(MemberTouches.GLOBAL, Granularity.BASE, MemberTouches.CLICKER));
        agg.add(post, acc);
        agg.add(Events.message("c1", "u1", BEGINNING, EventKind.REPLY), acc);
        agg.add(Events.paid("o", "u1", BEGINNING, 500, "c1", null), acc);
        agg.add(Events.refunded("o", "u1", BEGINNING, 200), acc);
        MetricRecord r = WindowMetricsFunction.toRecord("c1", "PT1M", BEGINNING, BEGINNING + ONE_MINUTE, 0, acc);
        assertThat(r.getMetrics()).containsEntry("messages", 2.0).containsEntry("replies", 1.0).containsEntry("orders", 1.0)
                .containsEntry("refunds", 1.0).containsEntry("gmv_minor", 300.0).containsEntry("sentiment_negative", 1.0)
                .containsEntry("negative_ratio", 1.0).containsEntry("active_members", 1.0).containsEntry("speaking_members", 1.0)
                .containsEntry("clickers", 0.0).containsEntry("conversion_rate", 0.0).doesNotContainKey("click_to_order");
    }

    @Test
    void shouldCountGlobalTouchesWhenKeyIsStar() {
        WindowAccumulator acc = agg.createAccumulator();
        PulseEvent click = Events.click("u1", BEGINNING, null, null);
        click.setCommunityId(MemberActivityOperator.GLOBAL);
        click.setTouches(MemberTouches.bit(MemberTouches.GLOBAL, Granularity.BASE, MemberTouches.CLICKER));
        agg.add(click, acc);
        assertThat(acc.get(WindowAccumulator.CLICKERS)).isEqualTo(1);
        assertThat(acc.get(WindowAccumulator.CLICKS)).isEqualTo(1);
    }

    @Test
    void shouldSumCountsWhenMerged() {
        WindowAccumulator a = agg.createAccumulator();
        WindowAccumulator b = agg.createAccumulator();
        agg.add(Events.post("c1", "u1", BEGINNING), a);
        agg.add(Events.post("c1", "u2", BEGINNING), b);
        assertThat(agg.merge(a, b).get(WindowAccumulator.MESSAGES)).isEqualTo(2);
    }
}
