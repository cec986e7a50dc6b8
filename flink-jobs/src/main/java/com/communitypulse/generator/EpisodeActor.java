package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A planted negative episode: many distinct members posting negative messages in one or two
 * moderation categories within a short time, the signal NEGATIVE_SPIKE is meant to catch. Keeps
 * what it emitted for the ground truth.
 */
final class EpisodeActor extends Actor {
    final Community community;
    final Member[] authors;
    final int[] categories;
    private final SplittableRandom rnd;
    private final EventEmitter emitter;
    private final long[] times;
    private int i;
    int emitted;
    long firstTs = -1;
    long lastTs;
    private final BitSet used = new BitSet();

    EpisodeActor(ActorSchedule schedule, EventEmitter emitter, SplittableRandom rnd, Community community, long t0, long len,
            Member[] authors, int messages) {
        super(schedule);
        this.emitter = emitter;
        this.rnd = rnd;
        this.community = community;
        this.authors = authors;
        int c1 = rnd.nextInt(Texts.CATEGORIES.length - 1);
        int c2 = rnd.nextInt(Texts.CATEGORIES.length - 1);
        // "abuse" stays out of episodes: they model an incident customers complain about.
        this.categories = c1 == c2 ? new int[] {c1} : new int[] {c1, c2};
        this.times = new long[messages];
        for (int k = 0; k < messages; k++) times[k] = t0 + rnd.nextLong(len);
        Arrays.sort(times);
        this.nextTs = times[0];
    }

    @Override
    void step() {
        // Every author speaks once before anyone speaks twice, so distinct authors are guaranteed.
        int a = i < authors.length ? i : rnd.nextInt(authors.length);
        Member m = authors[a];
        used.set(a);
        EventKind k = rnd.nextDouble() < 0.5 ? EventKind.POST : EventKind.COMMENT;
        emitter.speak(m, nextTs, k, -1, categories[rnd.nextInt(categories.length)]);
        if (firstTs < 0) firstTs = nextTs;
        lastTs = nextTs;
        emitted++;
        i++;
        nextTs = i < times.length ? times[i] : Long.MAX_VALUE;
    }

    int authorsUsed() {
        return used.cardinality();
    }
}
