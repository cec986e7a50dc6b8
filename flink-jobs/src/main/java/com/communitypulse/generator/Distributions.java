package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random draws the simulation is built from, each a pure function of the random stream it is
 * given.
 *
 * <p>Kept apart from the actors so that the shapes of the generated data (item popularity, order
 * amounts, gaps between actions) can be read and changed in one place; every caller passes the
 * run's single seeded stream, so the order of draws, and with it the output bytes, is that of the
 * callers alone.
 */
final class Distributions {
    private Distributions() {}

    /** An item id; popularity is skewed (a few items get most clicks). */
    static String item(SplittableRandom r) {
        double u = r.nextDouble();
        return "i" + (int) (2000 * u * u);
    }

    /** An order amount in minor units (fen): log-normal around 99 CNY, whole yuan, at least 1 CNY. */
    static long amount(SplittableRandom r) {
        double a = Math.exp(Math.log(9900) + 0.8 * r.nextGaussian());
        return Math.max(100, Math.round(a / 100) * 100);
    }

    /** Poisson counts; above a mean of 30 the normal approximation (same mean and variance). */
    static int poisson(SplittableRandom r, double mean) {
        if (mean <= 0) return 0;
        if (mean > 30) return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        double l = Math.exp(-mean), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Time to a member's next action within a session: a floor plus an exponential tail, mean {@code mean}. */
    static long gap(SplittableRandom r, long mean) {
        return mean / 8 + (long) (-Math.log(1 - r.nextDouble()) * (mean - mean / 8));
    }

    /** Half of all clicks are views; add-to-cart is the rarest. */
    static EventKind clickKind(SplittableRandom r) {
        double u = r.nextDouble();
        return u < 0.5 ? EventKind.VIEW : u < 0.85 ? EventKind.CLICK : EventKind.ADD_TO_CART;
    }

    /** Fisher-Yates in place. */
    static <T> void shuffle(List<T> l, SplittableRandom r) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    /** 0..n-1 in random order (Fisher-Yates). */
    static int[] shuffledIndexes(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < a.length; i++) a[i] = i;
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
