package com.communitypulse.events;

/** Which input stream an event came from; each maps to one input topic (CONTRACT §3). */
public enum EventType {
    MESSAGE("pulse.messages"),
    CLICK("pulse.clicks"),
    ORDER("pulse.orders");

    private final String defaultTopic;

    EventType(String defaultTopic) {
        this.defaultTopic = defaultTopic;
    }

    public String defaultTopic() {
        return defaultTopic;
    }
}
