package com.communitypulse.sentiment;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Trains {@link LogisticModel}s in two stages, both AdaGrad SGD on the class-weighted logistic loss:
 *
 * <ol>
 *   <li>the lexicon stage: bias and the dense lexicon features only, i.e. a calibration of what the
 *       lexicon knows (its score, negation, categories, ...) per language;
 *   <li>the n-gram stage: hashed n-gram weights fitted to what the lexicon stage gets wrong (its
 *       log-odds is a fixed offset), with strong L2 and only for n-grams seen in at least
 *       {@link Options#minDocs} training messages, because the n-grams are where the dev sets' domain
 *       (dishes, restaurants) leaks in. The model's n-gram scale then shrinks this stage further.
 * </ol>
 *
 * Deterministic: one thread, a seeded shuffle, a fixed update order, so the same data, options and
 * seed give byte-identical model files. Classes are weighted inversely to their frequency within each
 * language, because the target metric is macro-F1 and the Chinese and English dev sets are skewed
 * differently.
 */
final class SentimentTrainer {

    /** Hyper-parameters; the defaults are what the CLI uses and what the bundled model was trained with. */
    static final class Options {
        long seed = 42;
        int epochs = 5;
        int hashBits = 18;
        double learningRate = 0.1;
        double l2 = 1e-4;
        int minDocs = 3;
        float neutralBand = 0.1f;
        double neutralWeight = 3;
        float ngramScale = 1.0f;
        /** false: the lexicon features only (the "lexicon, calibrated" row of the sentiment README's figures). */
        boolean ngrams = true;
        /** false: the n-grams only, no lexicon features (the "model alone" row). */
        boolean lexicon = true;
    }

    /** Features computed once per example, reused across epochs and folds. */
    static final class Encoded {
        final int[][] feats;
        final float[][] dense;
        final boolean[] positive;
        final boolean[] neutral;
        final int[] lang;

        Encoded(int n) {
            feats = new int[n][];
            dense = new float[n][];
            positive = new boolean[n];
            neutral = new boolean[n];
            lang = new int[n];
        }

        double target(int r) {
            return neutral[r] ? 0.5 : positive[r] ? 1 : 0;
        }
    }

    private SentimentTrainer() {}

    static Encoded encode(List<LabelledData.Example> data, int hashBits, LexiconScorer lexicon) {
        Encoded e = new Encoded(data.size());
        int[] buf = new int[64];
        for (int i = 0; i < data.size(); i++) {
            LabelledData.Example ex = data.get(i);
            char[] t = TextNormalizer.normalize(ex.text);
            if (buf.length < FeatureHasher.bound(t.length)) {
                buf = new int[FeatureHasher.bound(t.length) * 2];
            }
            int n = FeatureHasher.hash(t, hashBits, buf);
            e.feats[i] = Arrays.copyOf(buf, n);
            e.dense[i] = new float[FeatureHasher.DENSE];
            FeatureHasher.denseFeatures(t, lexicon.analyze(t, false), e.dense[i]);
            e.lang[i] = e.dense[i][0] != 0f ? 0 : 1;
            e.positive[i] = ex.positive;
            e.neutral[i] = ex.neutral;
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
        // Per language and class: weight = rows of that language / (2 * rows of that language and class).
        // Neutral rows (class 2) get a fixed weight: they anchor "no opinion" at p = 0.5 without outvoting either class.
        long[][] count = new long[2][3];
        for (int r : rows) {
            count[e.lang[r]][cls(e, r)]++;
        }
        double[][] weight = new double[2][3];
        for (int l = 0; l < 2; l++) {
            long total = count[l][0] + count[l][1];
            for (int c = 0; c < 2; c++) {
                weight[l][c] = count[l][c] == 0 ? 1 : total / (2.0 * count[l][c]);
            }
            weight[l][2] = o.neutralWeight;
        }
        float[] dw = new float[FeatureHasher.DENSE];
        double[] bias = {0};
        Random rnd = new Random(o.seed);
        int[] order = rows.clone();
        if (o.lexicon) {
            double[] dg2 = new double[FeatureHasher.DENSE];
            double[] biasG2 = {0};
            // Few parameters, so more passes; they converge long before they could overfit.
            for (int epoch = 0; epoch < 3 * o.epochs; epoch++) {
                shuffle(order, rnd);
                for (int r : order) {
                    float[] d = e.dense[r];
                    double z = bias[0];
                    for (int k = 0; k < dw.length; k++) {
                        z += dw[k] * d[k];
                    }
                    double g = (sigmoid(z) - e.target(r)) * weight[e.lang[r]][cls(e, r)];
                    for (int k = 0; k < dw.length; k++) {
                        if (d[k] != 0f) {
                            double grad = g * d[k] + 1e-6 * dw[k];
                            dg2[k] += grad * grad;
                            dw[k] -= (float) (o.learningRate * grad / Math.sqrt(dg2[k] + 1e-8));
                        }
                    }
                    biasG2[0] += g * g;
                    bias[0] -= o.learningRate * g / Math.sqrt(biasG2[0] + 1e-8);
                }
            }
        }
        int size = 1 << o.hashBits;
        float[] w = new float[size];
        if (o.ngrams) {
            int[] docs = new int[size];
            int[] seen = new int[size];
            Arrays.fill(seen, -1);
            for (int r : rows) {
                for (int j : e.feats[r]) {
                    if (seen[j] != r) {
                        seen[j] = r;
                        docs[j]++;
                    }
                }
            }
            float[] g2 = new float[size];
            LogisticModel lexView = new LogisticModel(o.hashBits, w, dw, (float) bias[0], o.neutralBand, 0f);
            for (int epoch = 0; epoch < o.epochs; epoch++) {
                shuffle(order, rnd);
                for (int r : order) {
                    int[] f = e.feats[r];
                    int n = f.length;
                    double z = (o.lexicon ? lexView.denseMargin(e.dense[r]) : bias[0]) + lexView.ngramMargin(f, n);
                    double g = (sigmoid(z) - e.target(r)) * weight[e.lang[r]][cls(e, r)];
                    double scale = n == 0 ? 0 : 1.0 / Math.sqrt(n);
                    for (int j : f) {
                        if (docs[j] < o.minDocs) {
                            continue;
                        }
                        double grad = g * scale + o.l2 * w[j];
                        g2[j] += (float) (grad * grad);
                        w[j] -= (float) (o.learningRate * grad / Math.sqrt(g2[j] + 1e-8));
                    }
                    if (!o.lexicon) {
                        bias[0] -= 0.01 * g;
                    }
                }
            }
        }
        return new LogisticModel(o.hashBits, w, dw, (float) bias[0], o.neutralBand, o.ngrams ? o.ngramScale : 0f);
    }

    private static int cls(Encoded e, int r) {
        return e.neutral[r] ? 2 : e.positive[r] ? 1 : 0;
    }

    private static void shuffle(int[] order, Random rnd) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** The label a model gives a message with these features (same rule as {@link TrainedScorer}). */
    static SentimentLabel label(LogisticModel m, int[] feats, float[] dense) {
        return TrainedScorer.label(2 * sigmoid(m.margin(feats, feats.length, dense)) - 1, m, dense);
    }

    /**
     * k-fold cross-validation with a seeded fold assignment over the rows of {@code data} for which
     * {@code evaluated} is true; the other rows (e.g. the other language, the project's own examples)
     * are in every training fold. Returns the pooled confusion counts and writes each fold's macro-F1
     * into {@code foldMacroF1}.
     */
    static BinaryEvaluation crossValidate(List<LabelledData.Example> data, boolean[] evaluated, int folds, Options o,
            LexiconScorer lexicon, double[] foldMacroF1) {
        Encoded e = encode(data, o.hashBits, lexicon);
        int[] target = new int[data.size()];
        int nt = 0;
        for (int i = 0; i < data.size(); i++) {
            if (evaluated == null || evaluated[i]) {
                target[nt++] = i;
            }
        }
        if (folds < 2 || folds > nt) {
            throw new IllegalArgumentException("--cv must be between 2 and the number of rows (" + nt + ")");
        }
        int[] perm = Arrays.copyOf(target, nt);
        shuffle(perm, new Random(o.seed ^ 0x5DEECE66DL));
        BinaryEvaluation pooled = new BinaryEvaluation();
        boolean[] held = new boolean[data.size()];
        for (int fold = 0; fold < folds; fold++) {
            int from = (int) ((long) nt * fold / folds);
            int to = (int) ((long) nt * (fold + 1) / folds);
            Arrays.fill(held, false);
            for (int i = from; i < to; i++) {
                held[perm[i]] = true;
            }
            int[] train = new int[data.size() - (to - from)];
            int t = 0;
            for (int i = 0; i < data.size(); i++) {
                if (!held[i]) {
                    train[t++] = i;
                }
            }
            LogisticModel m = train(e, train, o);
            BinaryEvaluation ev = new BinaryEvaluation();
            for (int i = from; i < to; i++) {
                int r = perm[i];
                ev.add(e.positive[r], label(m, e.feats[r], e.dense[r]));
            }
            if (foldMacroF1 != null) {
                foldMacroF1[fold] = ev.macroF1();
            }
            pooled.addAll(ev);
        }
        return pooled;
    }

    /** {@link #crossValidate(List, boolean[], int, Options, LexiconScorer, double[])} over all rows. */
    static BinaryEvaluation crossValidate(
            List<LabelledData.Example> data, int folds, Options o, LexiconScorer lexicon, double[] foldMacroF1) {
        return crossValidate(data, null, folds, o, lexicon, foldMacroF1);
    }
}
