package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The actionable model ({@link ActionableModel}, sentiment README "Actionable model"): the bundled file
 * is what the documented command trains, and the cross-validated figures on the training data that
 * the sentiment README reports. Only the project's own data is read (the development chat set and
 * {@link SyntheticChat}); the evaluation set is never opened here.
 */
class ActionableModelTest {
    /** {@code --synthetic} of the documented training command. */
    static final int SYNTHETIC = 3000;
    static final String[] DEV = {"/dev-chat/zh.jsonl", "/dev-chat/en.jsonl", "/dev-chat/long-zh.jsonl", "/dev-chat/long-en.jsonl"};

    record Row(DevChatNegativeMessageTest.Case c, boolean dev) {}

    static List<DevChatNegativeMessageTest.Case> dev() {
        List<DevChatNegativeMessageTest.Case> l = new ArrayList<>();
        for (String f : DEV) l.addAll(DevChatNegativeMessageTest.load(f));
        return l;
    }

    static List<LabelledData.Example> trainingRows() {
        List<LabelledData.Example> rows = new ArrayList<>();
        for (DevChatNegativeMessageTest.Case c : dev()) rows.add(new LabelledData.Example(c.text(), c.actionable()));
        rows.addAll(SyntheticChat.generate(SYNTHETIC, 42));
        return rows;
    }

    @Test
    void shouldBeWhatTheDocumentedCommandTrains() throws Exception {
        Path dir = Files.createTempDirectory("actionable");
        Path out = dir.resolve("actionable.bin");
        Path base = Path.of("src/test/resources/dev-chat");
        String data = String.join(",", base.resolve("zh.jsonl").toString(), base.resolve("en.jsonl").toString(),
                base.resolve("long-zh.jsonl").toString(), base.resolve("long-en.jsonl").toString());
        var o = new java.io.ByteArrayOutputStream();
        int rc = SentimentCli.run(new String[] {"train", "--target", "actionable", "--data", data, "--synthetic", String.valueOf(SYNTHETIC),
            "--out", out.toString()}, InputStream.nullInputStream(), new java.io.PrintStream(o), System.err);
        System.out.println(o);
        assertThat(rc).isZero();
        String sha = SentimentScorers.sha256(Files.readAllBytes(out));
        Files.copy(out, Path.of("target/actionable-retrained.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(sha).as("retrained with the command in the sentiment README: update the bundled file and "
                + "ActionableModel.BUNDLED_SHA256 together").isEqualTo(ActionableModel.BUNDLED_SHA256);
    }

    @Test
    void shouldReportCrossValidatedFigures() {
        List<DevChatNegativeMessageTest.Case> dev = dev();
        List<LabelledData.Example> synth = SyntheticChat.generate(SYNTHETIC, 42);
        List<LabelledData.Example> rows = new ArrayList<>();
        for (DevChatNegativeMessageTest.Case c : dev) rows.add(new LabelledData.Example(c.text(), c.actionable()));
        rows.addAll(synth);
        LexiconScorer lex = new LexiconScorer(Lexicon.bundled());
        SentimentTrainer.Options o = new SentimentTrainer.Options();
        SentimentTrainer.Encoded e = SentimentTrainer.encode(rows, o.hashBits, lex);
        int nd = dev.size();
        // (a) 5-fold over the development rows, the generated rows always in training.
        double[] pDev = oof(e, rows.size(), nd, o, true);
        // (b) 5-fold over every training row.
        double[] pAll = oof(e, rows.size(), rows.size(), o, false);

        StringBuilder r = new StringBuilder("\n==== actionable model, 5-fold CV (seed 42) ====\n");
        r.append(prf("all training rows, model alone p>=0.5", rows, pAll, 0, rows.size(), null, dev));
        r.append(prf("generated rows (folds over all), p>=0.5", rows, pAll, nd, rows.size(), null, dev));
        for (String lang : new String[] {null, "zh", "en"}) {
            r.append(prf("dev chat folds, model alone p>=0.5", rows, pDev, 0, nd, lang, dev));
        }
        // The combined decision on the out-of-fold probabilities of the development rows.
        SentimentScorer scorer = SentimentScorers.create(null);
        NegativeRules rules = NegativeRules.bundled();
        double max = PulseConfig.defaults().get(PulseConfig.NEG_MESSAGE_SCORE);
        boolean[] neg = new boolean[nd];
        NegativeFinding[] f = new NegativeFinding[nd];
        ActionableModel.Assessment[] as = new ActionableModel.Assessment[nd];
        ActionableModel probe = new ActionableModel(SentimentTrainer.train(e, new int[] {0, 1}, o), lex);
        for (int i = 0; i < nd; i++) {
            String t = dev.get(i).text();
            neg[i] = scorer.score(t, dev.get(i).lang()).label() == SentimentLabel.NEGATIVE;
            f[i] = rules.assess(t);
            as[i] = probe.assess(t);
        }
        double[][] grid = Boolean.getBoolean("actionable.grid")
                ? new double[][] {{0, 0.6}, {0, 0.7}, {0, 0.8}, {0, 0.9}, {0, 1.01}, {0.1, 0.7}, {0.1, 0.8}, {0.2, 0.7}, {0.2, 0.8},
                    {0.2, 0.9}, {0.3, 0.8}, {0.4, 0.8}, {0.5, 0.8}, {1.01, 0.6}, {1.01, 0.7}, {1.01, 0.8}, {1.01, 0.9}, {0.2, 0.6}, {0.3, 0.7}, {0.2, 0.8, 1}, {0.2, 0.9, 1}, {0.2, 0.85}, {0.2, 0.75}}
                : new double[][] {{0, 1.01}, {NegativeDecision.CONFIRM, NegativeDecision.ALONE}};
        r.append("\ncombined decision on the dev rows' out-of-fold p (confirm, alone): P R (zh P R, en P R) neutral-long alerts\n");
        for (double[] g : grid) {
            long[][] c = new long[3][4];
            int longAlerts = 0;
            for (int i = 0; i < nd; i++) {
                DevChatNegativeMessageTest.Case k = dev.get(i);
                NegativeFinding d = NegativeDecision.decide(neg[i], f[i], pDev[i], as[i].lexiconCategories(), g.length > 2 ? false : NegativeDecision.isLong(k.text()), "", g[0], g[1]);
                boolean alert = d != null && d.score() <= max && !d.categories().isEmpty();
                if (k.id().contains("-long-")) {
                    if (alert) longAlerts++;
                    continue;
                }
                int li = k.lang().equals("zh") ? 1 : 2;
                for (int x : new int[] {0, li}) c[x][alert && k.actionable() ? 0 : alert ? 1 : k.actionable() ? 2 : 3]++;
            }
            r.append(String.format(Locale.ROOT, "  %.2f %.2f: %.3f %.3f (zh %.3f %.3f, en %.3f %.3f) long %d%n", g[0], g[1], p(c[0]), rc(c[0]),
                    p(c[1]), rc(c[1]), p(c[2]), rc(c[2]), longAlerts));
        }
        System.out.println(r);
        // Out-of-fold on the development chat: the model must beat chance clearly, or it carries nothing.
        long[] cDev = counts(rows, pDev, 0, nd, null, dev);
        assertThat(p(cDev)).isGreaterThan(0.6);
        assertThat(rc(cDev)).isGreaterThan(0.6);
    }

    private static double[] oof(SentimentTrainer.Encoded e, int n, int foldOver, SentimentTrainer.Options o, boolean restAlways) {
        int[] perm = new int[foldOver];
        for (int i = 0; i < foldOver; i++) perm[i] = i;
        Random rnd = new Random(42 ^ 0x5DEECE66DL);
        for (int i = foldOver - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] p = new double[n];
        boolean[] held = new boolean[n];
        for (int fold = 0; fold < 5; fold++) {
            int from = foldOver * fold / 5, to = foldOver * (fold + 1) / 5;
            Arrays.fill(held, false);
            for (int i = from; i < to; i++) held[perm[i]] = true;
            int[] train = new int[n - (to - from)];
            int t = 0;
            for (int i = 0; i < n; i++) if (!held[i]) train[t++] = i;
            LogisticModel m = SentimentTrainer.train(e, train, o);
            for (int i = from; i < to; i++) {
                int r = perm[i];
                p[r] = SentimentTrainer.sigmoid(m.margin(e.feats[r], e.feats[r].length, e.dense[r]));
            }
        }
        return p;
    }

    private static long[] counts(List<LabelledData.Example> rows, double[] pr, int from, int to, String lang,
            List<DevChatNegativeMessageTest.Case> dev) {
        long[] c = new long[4];
        for (int i = from; i < to; i++) {
            if (i < dev.size() && dev.get(i).id().contains("-long-")) continue;
            if (lang != null && (i >= dev.size() || !dev.get(i).lang().equals(lang))) continue;
            boolean a = pr[i] >= 0.5, y = rows.get(i).positive;
            c[a && y ? 0 : a ? 1 : y ? 2 : 3]++;
        }
        return c;
    }

    private static String prf(String what, List<LabelledData.Example> rows, double[] pr, int from, int to, String lang,
            List<DevChatNegativeMessageTest.Case> dev) {
        long[] c = counts(rows, pr, from, to, lang, dev);
        return String.format(Locale.ROOT, "  %-45s %-3s precision %.3f recall %.3f (tp %d fp %d fn %d)%n", what, lang == null ? "all" : lang,
                p(c), rc(c), c[0], c[1], c[2]);
    }

    private static double p(long[] c) {
        return c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
    }

    private static double rc(long[] c) {
        return c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
    }
}
