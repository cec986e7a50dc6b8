package com.communitypulse.metrics;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.events.PulseEvent.Attribution;
import com.communitypulse.state.HeldEvents;
import com.communitypulse.state.WriteBackValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Order attribution, keyed by {@code user_id}. Messages and clicks pass straight through; orders
 * (paid and refunded) and the attribution history of community clicks are applied when the
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
 * <p>Decision where the contract is silent: share ids are looked up among the buyer's own clicks
 * (the buyer follows the share link before ordering), which keeps all state per user.
 *
 * <p>The recent clicks and the last-seen time are read and changed on the heap and written back at
 * each checkpoint ({@link WriteBackValue}); the share and order maps stay in the state backend.
 *
 * <p>Waiting orders and clicks are {@link HeldEvents} (on the heap, in keyed state only across a
 * checkpoint), released by the watermark; no timer per event.
 *
 * <p><b>State</b> (all per user): recent community clicks (bounded, newest by event time), share id →
 * community of its first click, order id → community (for refunds), waiting orders and clicks
 * (until the watermark passes them). Everything is cleared {@code horizon} after the user's
 * last click or order (one timer, rounded to the hour).
 */
public class AttributionOperator extends AbstractStreamOperator<PulseEvent>
        implements OneInputStreamOperator<PulseEvent, PulseEvent>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;
    static final int MAX_HELD_ON_HEAP = 100_000;
    /** Users whose recent clicks and last-seen time stay on the heap between checkpoints. */
    static final int CACHED_USERS = 100_000;
    /** Clicks, then paid, then refunded at equal times, then by id: the same result whatever the arrival order. */
    private static final Comparator<PulseEvent> ORDER = Comparator.comparingLong(PulseEvent::getTs)
            .thenComparing(AttributionOperator::rank).thenComparing(PulseEvent::getEventId);

    // Part of the savepoint layout (uid attribute-orders): never rename.
    static final String PENDING = "pending-orders";

    private final long attributionWindowMs;
    private final long horizonMs;

    private transient WriteBackValue<RecentClicks, RecentClicks> clicks;
    private transient MapState<String, String> shares;
    private transient MapState<String, String> orders;
    private transient WriteBackValue<Long, Long> lastSeen;
    private transient HeldEvents held;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient StreamRecord<PulseEvent> reuse;

    public AttributionOperator(long attributionWindowMs, long horizonMs) {
        this.attributionWindowMs = attributionWindowMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        clicks = WriteBackValue.of(getPartitionedState(new ValueStateDescriptor<>("recent-community-clicks", RecentClicks.class)), CACHED_USERS)
                .bind(getKeyedStateBackend());
        shares = getPartitionedState(new MapStateDescriptor<>("share-community", String.class, String.class));
        orders = getPartitionedState(new MapStateDescriptor<>("order-community", String.class, String.class));
        lastSeen = WriteBackValue.of(getPartitionedState(new ValueStateDescriptor<>("last-seen", Long.class)), CACHED_USERS)
                .bind(getKeyedStateBackend());
        ListState<PulseEvent> pending = getPartitionedState(new ListStateDescriptor<>(PENDING, PulseEvent.class));
        held = new HeldEvents(pending, PENDING, getKeyedStateBackend(), MAX_HELD_ON_HEAP);
        if (ctx.isRestored()) {
            held.restore();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        reuse = new StreamRecord<>(null);
        getMetricGroup().gauge("heldEvents", (Gauge<Integer>) () -> held.size());
    }

    @Override
    public void processElement(StreamRecord<PulseEvent> r) throws Exception {
        PulseEvent e = r.getValue();
        if (e.getType() == EventType.MESSAGE) {
            output.collect(r);
            return;
        }
        touch(e.getTs());
        if (e.getType() == EventType.CLICK) {
            e.setAttribution(e.getCommunityId() != null ? Attribution.DIRECT : Attribution.UNATTRIBUTED);
            output.collect(r);
            if (e.getCommunityId() == null) {
                return;
            }
            // The click counts at once, but it enters the attribution history in event-time order
            // (below), so an order only ever sees the clicks at or before it, whatever the arrival order.
            held.add((String) getCurrentKey(),
                    PulseEvent.click(e.getEventId(), e.getUserId(), e.getTs(), e.getKind(), null, e.getCommunityId(), e.getShareId()));
        } else {
            held.add((String) getCurrentKey(), e);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long wm = mark.getTimestamp();
        for (String user : held.keysDueAt(wm)) {
            setCurrentKey(user);
            release(user, wm);
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        held.persist();
        clicks.flush();
        lastSeen.flush();
        super.snapshotState(ctx);
    }

    private void release(String user, long wm) throws Exception {
        List<PulseEvent> due = held.takeDue(user, wm);
        due.sort(ORDER);
        for (PulseEvent p : due) {
            if (p.getType() == EventType.CLICK) {
                remember(p);
            } else {
                attribute(p);
                output.collect(reuse.replace(p, p.getTs()));
            }
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Long last = lastSeen.value();
        if (last != null && timer.getTimestamp() >= cleanupTime(last)) {
            // Waiting events are never later than lastSeen, so the watermark released them all before this.
            clicks.clear();
            shares.clear();
            orders.clear();
            lastSeen.clear();
        }
        // Any other timer is one of the old per-event timers of a restored savepoint: nothing to do.
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers
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
    private void touch(long ts) throws Exception {
        Long last = lastSeen.value();
        if (last == null || ts > last) {
            lastSeen.update(ts);
            long next = cleanupTime(ts);
            if (last != null && cleanupTime(last) != next) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, cleanupTime(last));
            }
            if (last == null || cleanupTime(last) != next) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, next);
            }
        }
    }

    private long cleanupTime(long last) {
        return ((last + horizonMs) / HOUR + 1) * HOUR;
    }
}
