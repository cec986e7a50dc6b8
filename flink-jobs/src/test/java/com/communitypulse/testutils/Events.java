package com.communitypulse.testutils;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import java.util.concurrent.atomic.AtomicLong;

/** Factories for test events with unique ids. */
public final class Events {
    private static final AtomicLong SEQ = new AtomicLong();

    private Events() {}

    public static String id() {
        return "e" + SEQ.incrementAndGet();
    }

    public static PulseEvent post(String community, String user, long ts) {
        return PulseEvent.message(id(), community, user, ts, EventKind.POST, "hello");
    }

    public static PulseEvent message(String community, String user, long ts, EventKind kind) {
        return PulseEvent.message(id(), community, user, ts, kind, kind.isSpeaking() ? "text" : null);
    }

    public static PulseEvent click(String user, long ts, String community, String share) {
        return PulseEvent.click(id(), user, ts, EventKind.CLICK, "item-1", community, share);
    }

    public static PulseEvent paid(String order, String user, long ts, long amount, String community, String share) {
        return PulseEvent.order(id(), order, user, ts, EventKind.PAID, amount, "CNY", community, share);
    }

    public static PulseEvent refunded(String order, String user, long ts, long amount) {
        return PulseEvent.order(id(), order, user, ts, EventKind.REFUNDED, amount, "CNY", null, null);
    }
}
