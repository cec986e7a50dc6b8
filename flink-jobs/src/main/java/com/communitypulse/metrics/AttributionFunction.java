package com.communitypulse.metrics;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEvent.Attribution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Order attribution (SPEC §4), keyed by {@code user_id}. Messages and clicks pass straight through;
 * orders (paid and refunded) and the attribution history of community clicks are applied when the
 * watermark reaches their event time, in event-time order, so an order sees exactly the clicks at
 * or before it whatever the arrival order (file mode and Kafka agree), and is then attributed:
 * <ol>
 *   <li>{@code community_id} on the order → {@code DIRECT};</li>
 *   <li>a {@code share_id} this user saw on a community click at or before the order → {@code SHARE_ID};</li>
 *   <li>this user's latest community click within the attribution window before the order → {@code LAST_CLICK};</li>
 *   <li>otherwise {@code UNATTRIBUTED} (community stays null; counted in the global total only).</li>
 * </ol>
 * A refund reverses the GMV of its order's community: it takes the community its paid order was
 * attributed to, when that order is known; otherwise it is attributed like an order.
 *
 * <p>Decision where the spec is silent: share ids are looked up among the buyer's own clicks (the
 * buyer follows the share link before ordering), which keeps all state per user.
 *
 * <p><b>State</b> (all per user): recent community clicks (bounded, newest by event time), share id →
 * community of its first click, order id → community (for refunds), pending orders and clicks
 * (until the watermark passes them). Everything is cleared {@code horizon} after the user's
 * last click or order (one timer, rounded to the hour); pending orders leave at their own timer.
 */
public class AttributionFunction extends KeyedProcessFunction<String, PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;

    private final long attributionWindowMs;
    private final long horizonMs;

    private transient ValueState<RecentClicks> clicks;
    private transient MapState<String, String> shares;
    private transient MapState<String, String> orders;
    private transient ListState<PulseEvent> pending;
    private transient ValueState<Long> lastSeen;

    public AttributionFunction(long attributionWindowMs, long horizonMs) {
        this.attributionWindowMs = attributionWindowMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext ctx) {
        clicks = getRuntimeContext().getState(new ValueStateDescriptor<>("recent-community-clicks", RecentClicks.class));
        shares = getRuntimeContext().getMapState(new MapStateDescriptor<>("share-community", String.class, String.class));
        orders = getRuntimeContext().getMapState(new MapStateDescriptor<>("order-community", String.class, String.class));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-orders", PulseEvent.class));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Long.class));
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) throws Exception {
        if (e.getType() == EventType.MESSAGE) {
            out.collect(e);
            return;
        }
        touch(e.getTs(), ctx);
        if (e.getType() == EventType.CLICK) {
            e.setAttribution(e.getCommunityId() != null ? Attribution.DIRECT : Attribution.UNATTRIBUTED);
            out.collect(e);
            if (e.getCommunityId() == null) {
                return;
            }
            // The click counts at once, but it enters the attribution history in event-time order
            // (below), so an order only ever sees the clicks at or before it, whatever the arrival order.
            PulseEvent slim = PulseEvent.click(e.getEventId(), e.getUserId(), e.getTs(), e.getKind(), null, e.getCommunityId(), e.getShareId());
            pending.add(slim);
        } else {
            pending.add(e);
        }
        ctx.timerService().registerEventTimeTimer(e.getTs());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PulseEvent> out) throws Exception {
        Long last = lastSeen.value();
        if (last != null && timestamp >= cleanupTime(last)) {
            // Pending orders are never later than lastSeen, so they were all released before this.
            clearAll();
            return;
        }
        List<PulseEvent> due = new ArrayList<>();
        List<PulseEvent> later = new ArrayList<>();
        for (PulseEvent p : pending.get()) {
            (p.getTs() <= timestamp ? due : later).add(p);
        }
        if (due.isEmpty()) {
            return;
        }
        // Clicks, then paid, then refunded at equal times, then by id: the same result whatever the arrival order.
        due.sort(Comparator.comparingLong(PulseEvent::getTs).thenComparing(AttributionFunction::rank)
                .thenComparing(PulseEvent::getEventId));
        for (PulseEvent p : due) {
            if (p.getType() == EventType.CLICK) {
                remember(p);
            } else {
                attribute(p);
                out.collect(p);
            }
        }
        pending.update(later);
    }

    private static int rank(PulseEvent p) {
        return p.getType() == EventType.CLICK ? 0 : p.getKind() == EventKind.PAID ? 1 : 2;
    }

    private void remember(PulseEvent click) throws Exception {
        RecentClicks rc = clicks.value();
        if (rc == null) rc = new RecentClicks();
        rc.add(click.getTs(), click.getCommunityId());
        clicks.update(rc);
        if (click.getShareId() != null && !shares.contains(click.getShareId())) {
            shares.put(click.getShareId(), click.getCommunityId());
        }
    }

    private void attribute(PulseEvent o) throws Exception {
        if (o.getKind() == EventKind.REFUNDED) {
            String paidCommunity = orders.get(o.getOrderId());
            if (paidCommunity != null) {
                o.setCommunityId(paidCommunity.isEmpty() ? null : paidCommunity);
                o.setAttribution(paidCommunity.isEmpty() ? Attribution.UNATTRIBUTED : Attribution.DIRECT);
                return;
            }
        }
        if (o.getCommunityId() != null) {
            o.setAttribution(Attribution.DIRECT);
        } else {
            String c = null;
            if (o.getShareId() != null) {
                c = shares.get(o.getShareId());
            }
            if (c != null) {
                o.setAttribution(Attribution.SHARE_ID);
            } else {
                RecentClicks rc = clicks.value();
                c = rc == null ? null : rc.latestBetween(o.getTs() - attributionWindowMs, o.getTs());
                o.setAttribution(c != null ? Attribution.LAST_CLICK : Attribution.UNATTRIBUTED);
            }
            o.setCommunityId(c);
        }
        if (o.getKind() == EventKind.PAID) {
            orders.put(o.getOrderId(), o.getCommunityId() == null ? "" : o.getCommunityId());
        }
    }

    /** Keeps exactly one cleanup timer per user: {@code horizon} after the last click or order, rounded up to the hour. */
    private void touch(long ts, Context ctx) throws Exception {
        Long last = lastSeen.value();
        if (last == null || ts > last) {
            lastSeen.update(ts);
            long next = cleanupTime(ts);
            if (last != null && cleanupTime(last) != next) {
                ctx.timerService().deleteEventTimeTimer(cleanupTime(last));
            }
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    private long cleanupTime(long last) {
        return ((last + horizonMs) / HOUR + 1) * HOUR;
    }

    private void clearAll() {
        clicks.clear();
        shares.clear();
        orders.clear();
        pending.clear();
        lastSeen.clear();
    }
}
