package com.communitypulse.generator;

/**
 * One community: its members and the short memory of recent talk and shares that replies,
 * reactions and share-link clicks pick their targets from.
 *
 * <p>The memory is a few fixed-size rings, so that a reply goes to someone who spoke lately and a
 * click to a link shared lately without keeping any history that grows with the run.
 */
final class Community {
    final int idx;
    final String id;
    int[] members;
    int[] leaders;
    int staff = -1;
    final int[] recent = new int[8];
    int recentCount;
    int recentPos;
    final String[] shares = new String[4];
    final String[] shareItems = new String[4];
    int shareCount;
    int sharePos;
    int lastNegAuthor = -1;
    long lastNegTs;
    /** Expected posts + comments + replies per day, for sizing a planted negative episode against normal talk. */
    double speakingPerDay;

    Community(int idx) {
        this.idx = idx;
        this.id = "c" + idx;
    }

    void spoke(int member) {
        recent[recentPos] = member;
        recentPos = (recentPos + 1) % recent.length;
        if (recentCount < recent.length) recentCount++;
    }

    void addShare(String shareId, String item) {
        shares[sharePos] = shareId;
        shareItems[sharePos] = item;
        sharePos = (sharePos + 1) % shares.length;
        if (shareCount < shares.length) shareCount++;
    }
}
