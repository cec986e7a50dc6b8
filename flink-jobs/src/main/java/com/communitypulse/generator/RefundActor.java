package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;

/**
 * A refund due later for an order already placed: an actor of its own so that it comes out in
 * event-time order with everything else, without the member's actor having to remember it.
 */
final class RefundActor extends Actor {
    private final EventEmitter emitter;
    private final Member m;
    private final String orderId;
    private final long amount;
    private final String cid;
    private final String sid;

    RefundActor(ActorSchedule schedule, EventEmitter emitter, Member m, long at, String orderId, long amount, String cid, String sid) {
        super(schedule);
        this.emitter = emitter;
        this.m = m;
        this.nextTs = at;
        this.orderId = orderId;
        this.amount = amount;
        this.cid = cid;
        this.sid = sid;
    }

    @Override
    void step() {
        emitter.emit(PulseEvent.order(emitter.nextEventId(), orderId, m.id, nextTs, EventKind.REFUNDED, amount,
                EventEmitter.CURRENCY, cid, sid), m);
        nextTs = Long.MAX_VALUE;
    }
}
