package com.communitypulse.generator;

/**
 * What kind of member someone is: how often they show up and what they do when they do.
 *
 * <p>The mix of archetypes is what gives communities realistic shapes (many lurkers clicking
 * shares, a few opinion leaders drawing replies, staff posting campaigns); each carries the
 * cumulative weights of its actions, indexed by the {@code A_*} constants.
 */
enum Archetype {
    //      pDay  actions/day  post comment reply reaction share cclick organic order
    LURKER(0.15, 3, new double[] {2, 3, 2, 22, 1, 40, 25, 2}),
    CHATTER(0.60, 12, new double[] {15, 25, 25, 22, 3, 6, 2, 1}),
    BUYER(0.40, 8, new double[] {4, 6, 4, 6, 2, 40, 20, 8}),
    LEADER(0.90, 20, new double[] {25, 15, 30, 10, 8, 6, 1, 1}),
    STAFF(0.85, 10, new double[] {30, 5, 35, 5, 25, 0, 0, 0});

    /** Action indexes into {@link #cdf}; up to {@code A_CCLICK} they happen in the community, organic clicks and orders do not. */
    static final int A_POST = 0, A_COMMENT = 1, A_REPLY = 2, A_REACTION = 3, A_SHARE = 4, A_CCLICK = 5, A_ORGANIC = 6, A_ORDER = 7;

    /** Probability of being active on a given day (before calibration). */
    final double pDay;
    /** Actions on an active day (before calibration to the run's event target). */
    final double actionsPerDay;
    /** Cumulative action weights, the last one exactly 1. */
    final double[] cdf;

    Archetype(double pDay, double actionsPerDay, double[] w) {
        this.pDay = pDay;
        this.actionsPerDay = actionsPerDay;
        double s = 0;
        for (double x : w) s += x;
        cdf = new double[w.length];
        double c = 0;
        for (int i = 0; i < w.length; i++) {
            c += w[i] / s;
            cdf[i] = c;
        }
        cdf[w.length - 1] = 1.0;
    }

    /** Share of actions that are posts, comments or replies (speaking, as opposed to reacting or buying). */
    double speakingShare() {
        return cdf[A_REPLY];
    }
}
