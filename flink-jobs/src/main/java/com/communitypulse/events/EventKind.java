package com.communitypulse.events;

import java.util.Locale;

/**
 * The {@code kind} of a message or click, or the {@code status} of an order (CONTRACT §3), in one enum
 * so that a single event POJO flows through one stream.
 */
public enum EventKind {
    POST(EventType.MESSAGE), COMMENT(EventType.MESSAGE), REPLY(EventType.MESSAGE), REACTION(EventType.MESSAGE),
    SHARE(EventType.MESSAGE), JOIN(EventType.MESSAGE), LEAVE(EventType.MESSAGE),
    VIEW(EventType.CLICK), CLICK(EventType.CLICK), ADD_TO_CART(EventType.CLICK),
    PAID(EventType.ORDER), REFUNDED(EventType.ORDER);

    private final EventType type;
    private final String wireName;

    EventKind(EventType type) {
        this.type = type;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    public EventType type() {
        return type;
    }

    /** The value on the wire: {@code post}, {@code add_to_cart}, {@code paid}, ... */
    public String wireName() {
        return wireName;
    }

    /** post/comment/reply: the member speaks (CONTRACT §4 "speaking member"); these carry text. */
    public boolean isSpeaking() {
        return this == POST || this == COMMENT || this == REPLY;
    }

    /** Counts towards "active member" (CONTRACT §4): any message action except join/leave, and every click-stream event. */
    public boolean isActivity() {
        return type == EventType.CLICK || (type == EventType.MESSAGE && this != JOIN && this != LEAVE);
    }

    /** Looks up a wire name within one event type; null when unknown. */
    public static EventKind fromWire(EventType type, String wire) {
        for (EventKind k : values()) {
            if (k.type == type && k.wireName.equals(wire)) {
                return k;
            }
        }
        return null;
    }

    /** Comma-separated wire names of one type, for error messages. */
    public static String allowed(EventType type) {
        StringBuilder sb = new StringBuilder();
        for (EventKind k : values()) {
            if (k.type == type) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.wireName);
            }
        }
        return sb.toString();
    }
}
