package com.communitypulse.metrics;

import static com.communitypulse.metrics.WindowAccumulator.*;

import com.communitypulse.events.PulseEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incremental window aggregation of CONTRACT §4's per-window counts for one community (or {@code "*"}).
 * Distinct-member counts are sums of the "first in this window" bits that
 * {@link MemberActivityOperator} stamped on each event, so the accumulator stays a fixed array.
 */
public class WindowMetricsAggregator implements AggregateFunction<PulseEvent, WindowAccumulator, WindowAccumulator> {
    private static final long serialVersionUID = 1L;

    private final int granularity;

    public WindowMetricsAggregator(int granularity) {
        this.granularity = granularity;
    }

    @Override
    public WindowAccumulator createAccumulator() {
        return new WindowAccumulator();
    }

    @Override
    public WindowAccumulator add(PulseEvent e, WindowAccumulator acc) {
        count(acc.getCounts(), e, scopeOf(e.getCommunityId()), granularity);
        return acc;
    }

    /** The {@link MemberTouches} scope whose bits count for the window of {@code community}. */
    public static int scopeOf(String community) {
        return MemberActivityOperator.GLOBAL.equals(community) ? MemberTouches.GLOBAL : MemberTouches.COMMUNITY;
    }

    /**
     * Adds one event to the counts of a window of granularity {@code g}. The scope is explicit
     * because the pre-aggregated path counts one event into its community's and the global window
     * without making a copy whose community id would say which.
     */
    public static void count(long[] c, PulseEvent e, int scope, int g) {
        switch (e.getKind()) {
            case POST: c[MESSAGES]++; c[POSTS]++; break;
            case COMMENT: c[MESSAGES]++; c[COMMENTS]++; break;
            case REPLY: c[MESSAGES]++; c[REPLIES]++; break;
            case REACTION: c[REACTIONS]++; break;
            case SHARE: c[SHARES]++; break;
            case JOIN: c[JOINS]++; break;
            case LEAVE: c[LEAVES]++; break;
            case VIEW: c[VIEWS]++; break;
            case CLICK: c[CLICKS]++; break;
            case ADD_TO_CART: c[ADD_TO_CARTS]++; break;
            case PAID: c[ORDERS]++; c[GMV] += e.getAmountMinor(); break;
            case REFUNDED: c[REFUNDS]++; c[GMV] -= e.getAmountMinor(); break;
            default: break;
        }
        if (e.getSentiment() != PulseEvent.UNSCORED) {
            c[e.getSentiment() > 0 ? POSITIVE : e.getSentiment() < 0 ? NEGATIVE : NEUTRAL]++;
        }
        int t = e.getTouches();
        if (MemberTouches.has(t, scope, g, MemberTouches.ACTIVE)) c[ACTIVE]++;
        if (MemberTouches.has(t, scope, g, MemberTouches.SPEAKING)) c[SPEAKING]++;
        if (MemberTouches.has(t, scope, g, MemberTouches.CLICKER)) c[CLICKERS]++;
        if (MemberTouches.has(t, scope, g, MemberTouches.BUYER)) c[BUYERS]++;
    }

    @Override
    public WindowAccumulator getResult(WindowAccumulator acc) {
        return acc;
    }

    @Override
    public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
        for (int i = 0; i < NAMES.length; i++) {
            a.getCounts()[i] += b.getCounts()[i];
        }
        return a;
    }
}
