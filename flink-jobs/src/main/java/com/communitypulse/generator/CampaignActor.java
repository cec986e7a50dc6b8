package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A planted campaign: staff share links; chosen members view, click, add to cart and buy through
 * them. The whole funnel is planned up front (sorted by time) so the actor only replays it, and
 * the counts it reaches go into the ground truth.
 */
final class CampaignActor extends Actor {
    private static final byte SHARE = 0, VIEW = 1, CLICK = 2, CART = 3, ORDER = 4;
    final Community community;
    final String[] shareIds;
    final String[] items;
    final Member[] participants;
    private final SplittableRandom rnd;
    private final EventEmitter emitter;
    private final Member staff;
    private long[] ts;
    private int[] who;
    private byte[] what;
    private byte[] which;
    private int n;
    private int i;
    int clicks;
    int orders;
    long firstTs = -1;
    long lastTs;

    CampaignActor(ActorSchedule schedule, EventEmitter emitter, SplittableRandom rnd, Ids ids, Community community, Member staff,
            long t0, long t1, List<Member> participants, int nShares) {
        super(schedule);
        this.emitter = emitter;
        this.rnd = rnd;
        this.community = community;
        this.staff = staff;
        this.participants = participants.toArray(new Member[0]);
        this.shareIds = new String[nShares];
        this.items = new String[nShares];
        for (int s = 0; s < nShares; s++) {
            shareIds[s] = ids.newShareId();
            items[s] = Distributions.item(rnd);
        }
        int cap = nShares + 4 * this.participants.length;
        ts = new long[cap];
        who = new int[cap];
        what = new byte[cap];
        which = new byte[cap];
        for (int s = 0; s < nShares; s++) add(t0 + s * 1000L, -1, SHARE, s);
        long window = t1 - t0;
        for (int p = 0; p < this.participants.length; p++) {
            int s = rnd.nextInt(nShares);
            long t = t0 + 60_000 + (long) (rnd.nextDouble() * 0.6 * window);
            add(t, p, VIEW, s);
            if (rnd.nextDouble() >= 0.7) continue;
            t += 10_000 + rnd.nextLong(5 * SimTime.MINUTE);
            add(t, p, CLICK, s);
            if (rnd.nextDouble() >= 0.5) continue;
            t += 30_000 + rnd.nextLong(10 * SimTime.MINUTE);
            add(t, p, CART, s);
            if (rnd.nextDouble() >= 0.6) continue;
            t += SimTime.MINUTE + rnd.nextLong(30 * SimTime.MINUTE);
            if (t < t1) add(t, p, ORDER, s);
        }
        sortPlan();
        nextTs = ts[0];
    }

    private void add(long t, int p, byte action, int share) {
        ts[n] = t;
        who[n] = p;
        what[n] = action;
        which[n] = (byte) share;
        n++;
    }

    private void sortPlan() {
        Integer[] idx = new Integer[n];
        for (int k = 0; k < n; k++) idx[k] = k;
        Arrays.sort(idx, Comparator.comparingLong((Integer k) -> ts[k]).thenComparingInt(k -> k));
        long[] ts2 = new long[n];
        int[] who2 = new int[n];
        byte[] what2 = new byte[n], which2 = new byte[n];
        for (int k = 0; k < n; k++) {
            ts2[k] = ts[idx[k]];
            who2[k] = who[idx[k]];
            what2[k] = what[idx[k]];
            which2[k] = which[idx[k]];
        }
        ts = ts2;
        who = who2;
        what = what2;
        which = which2;
    }

    @Override
    void step() {
        long t = ts[i];
        int s = which[i];
        if (what[i] == SHARE) {
            emitter.share(staff, t, shareIds[s], items[s]);
        } else {
            Member m = participants[who[i]];
            switch (what[i]) {
                case VIEW: emitter.communityClick(m, t, EventKind.VIEW, shareIds[s], items[s]); clicks++; break;
                case CLICK: emitter.communityClick(m, t, EventKind.CLICK, shareIds[s], items[s]); clicks++; break;
                case CART: emitter.communityClick(m, t, EventKind.ADD_TO_CART, shareIds[s], items[s]); clicks++; break;
                default:
                    if (rnd.nextDouble() < 0.5) {
                        emitter.placeOrder(m, t, community.id, shareIds[s], "direct");
                    } else {
                        emitter.placeOrder(m, t, null, shareIds[s], "share_id");
                    }
                    orders++;
            }
        }
        if (firstTs < 0) firstTs = t;
        lastTs = t;
        i++;
        nextTs = i < n ? ts[i] : Long.MAX_VALUE;
    }
}
