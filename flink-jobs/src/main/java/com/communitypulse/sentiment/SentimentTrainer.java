package com.communitypulse.sentiment;

import java.util.List;
import java.util.Random;

/**
 * Trains {@link LogisticModel}s with AdaGrad SGD on the logistic loss. Deterministic: one thread, a
 * seeded shuffle, a fixed update order, so the same data, options and seed give byte-identical model
 * files. Classes are weighted inversely to their frequency because the target metric is macro-F1 and
 * labelled complaint data is usually skewed.
 */
final class SentimentTrainer {

    /** Hyper-parameters; the defaults are what the CLI uses. */
    static final class Options {
        long seed = 42;
        int epochs = 8;
        int hashBits = 18;
        double learningRate = 0.2;
        double l2 = 1e-6;
        float neutralBand = 0.1f;
    }

    /** Features computed once per example, reused across epochs and folds. */
    static final class Encoded {
        final int[][] feats;
        final float[][] dense;
        final boolean[] positive;

        Encoded(int n) {
            feats = new int[n][];
            dense = new float[n][];
            positive = new boolean[n];
        }
    }

    private SentimentTrainer() {}

    static Encoded encode(List<LabelledData.Example> data, int hashBits, LexiconScorer lexicon) {
        Encoded e = new Encoded(data.size());
        for (int i = 0; i < data.size(); i++) {
            LabelledData.Example ex = data.get(i);
            char[] t = TextNormalizer.normalize(ex.text);
            e.feats[i] = FeatureHasher.features(t, hashBits);
            e.dense[i] = new float[FeatureHasher.DENSE];
            FeatureHasher.denseFeatures(lexicon.analyze(t, false), e.dense[i]);
            e.positive[i] = ex.positive;
        }
        return e;
    }

    static LogisticModel train(List<LabelledData.Example> data, Options o, LexiconScorer lexicon) {
        Encoded e = encode(data, o.hashBits, lexicon);
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return train(e, all, o);
    }

    static LogisticModel train(Encoded e, int[] rows, Options o) {
        int size = 1 << o.hashBits;
        float[] w = new float[size];
        float[] g2 = new float[size];
        float[] dw = new float[FeatureHasher.DENSE];
        float[] dg2 = new float[FeatureHasher.DENSE];
        double bias = 0;
        double biasG2 = 0;
        long pos = 0;
        for (int r : rows) {
            if (e.positive[r]) {
                pos++;
            }
        }
        long neg = rows.length - pos;
        double posWeight = pos == 0 ? 1 : rows.length / (2.0 * pos);
        double negWeight = neg == 0 ? 1 : rows.length / (2.0 * neg);
        int[] order = rows.clone();
        Random rnd = new Random(o.seed);
        double lr = o.learningRate;
        LogisticModel view = new LogisticModel(o.hashBits, w, dw, 0f, o.neutralBand);
        for (int epoch = 0; epoch < o.epochs; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int r : order) {
                int[] f = e.feats[r];
                float[] d = e.dense[r];
                double z = view.margin(f, d) + bias;
                double p = TrainedScorer.sigmoid(z);
                double g = (p - (e.positive[r] ? 1 : 0)) * (e.positive[r] ? posWeight : negWeight);
                int n = f[0];
                double scale = n == 0 ? 0 : 1.0 / Math.sqrt(n);
                for (int k = 1; k <= n; k++) {
                    int j = f[k];
                    double grad = g * scale + o.l2 * w[j];
                    g2[j] += (float) (grad * grad);
                    w[j] -= (float) (lr * grad / Math.sqrt(g2[j] + 1e-8));
                }
                for (int k = 0; k < dw.length; k++) {
                    if (d[k] != 0f) {
                        double grad = g * d[k] + o.l2 * dw[k];
                        dg2[k] += (float) (grad * grad);
                        dw[k] -= (float) (lr * grad / Math.sqrt(dg2[k] + 1e-8));
                    }
                }
                biasG2 += g * g;
                bias -= lr * g / Math.sqrt(biasG2 + 1e-8);
            }
        }
        return new LogisticModel(o.hashBits, w, dw, (float) bias, o.neutralBand);
    }

    /**
     * k-fold cross-validation with a seeded fold assignment; returns the pooled confusion counts and
     * writes each fold's macro-F1 into {@code foldMacroF1}.
     */
    static BinaryEvaluation crossValidate(
            List<LabelledData.Example> data, int folds, Options o, LexiconScorer lexicon, double[] foldMacroF1) {
        if (folds < 2 || folds > data.size()) {
            throw new IllegalArgumentException("--cv must be between 2 and the number of rows (" + data.size() + ")");
        }
        Encoded e = encode(data, o.hashBits, lexicon);
        int n = data.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        Random rnd = new Random(o.seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        BinaryEvaluation pooled = new BinaryEvaluation();
        for (int fold = 0; fold < folds; fold++) {
            int from = (int) ((long) n * fold / folds);
            int to = (int) ((long) n * (fold + 1) / folds);
            int[] train = new int[n - (to - from)];
            int t = 0;
            for (int i = 0; i < n; i++) {
                if (i < from || i >= to) {
                    train[t++] = perm[i];
                }
            }
            LogisticModel m = train(e, train, o);
            BinaryEvaluation ev = new BinaryEvaluation();
            for (int i = from; i < to; i++) {
                int r = perm[i];
                double p = TrainedScorer.sigmoid(m.margin(e.feats[r], e.dense[r]));
                double s = 2 * p - 1;
                SentimentLabel label = s <= -m.neutralBand ? SentimentLabel.NEGATIVE
                        : s >= m.neutralBand ? SentimentLabel.POSITIVE : SentimentLabel.NEUTRAL;
                ev.add(e.positive[r], label);
            }
            if (foldMacroF1 != null) {
                foldMacroF1[fold] = ev.macroF1();
            }
            pooled.addAll(ev);
        }
        return pooled;
    }
}
