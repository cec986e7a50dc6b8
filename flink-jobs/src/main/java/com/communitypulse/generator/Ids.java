package com.communitypulse.generator;

/**
 * Event, share and order ids of one run: a per-kind counter behind a prefix and the seed's tag.
 *
 * <p>One object for the whole run because share ids are handed out both while the population is
 * built and while actors run: a single counter per kind keeps every id unique, and the tag keeps
 * ids of runs with different seeds apart when they share a topic.
 */
final class Ids {
    private final String tag;
    private long eventSeq;
    private long orderSeq;
    private long shareSeq;

    Ids(long seed) {
        this.tag = Long.toUnsignedString(seed, 36);
    }

    /** The seed in base 36, for ids made outside the simulation (late and malformed records). */
    String tag() {
        return tag;
    }

    String nextEventId() {
        return "e" + tag + "-" + Long.toString(eventSeq++, 36);
    }

    String newShareId() {
        return "s" + tag + "-" + Long.toString(shareSeq++, 36);
    }

    String newOrderId() {
        return "o" + tag + "-" + Long.toString(orderSeq++, 36);
    }
}
