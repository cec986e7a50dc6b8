package com.communitypulse.sentiment;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The learned half of the negative-message decision: P(a moderator must act on this chat message),
 * from the same features as the bundled sentiment model (the lexicon's findings per language and
 * hashed n-grams: Chinese character 1-3-grams, English words, word pairs and in-word character
 * 4-grams) and the same file format ({@link LogisticModel}, versioned and CRC-checked), trained by
 * {@code pulse sentiment train --target actionable} on the development chat set and the project's
 * generated chat ({@link SyntheticChat}); command, data and figures in {@code sentiment/README.md},
 * "Actionable model". The rules ({@link NegativeRules}) still name the category and the clause; how the
 * two are combined is {@link NegativeDecision}.
 *
 * <p>The bundled file {@value #BUNDLED_RESOURCE} is read and its SHA-256 checked once per JVM.
 * Immutable and thread-safe; per message it allocates the normalised text and the lexicon analysis,
 * the n-gram indices go to the same per-thread scratch array as the sentiment model's.
 */
public final class ActionableModel {

    /** Class-path resource of the bundled model; the version in the name changes with its contents. */
    static final String BUNDLED_RESOURCE = "/sentiment/actionable-v1.bin";

    /** SHA-256 of {@link #BUNDLED_RESOURCE}; retraining with the documented command reproduces it. */
    static final String BUNDLED_SHA256 = "2be31daed5c8f4115ea19fe1b299de7edc7106dbee70e04dbbb125b120351fbb";

    private final LogisticModel model;
    private final LexiconScorer lexicon;

    ActionableModel(LogisticModel model, LexiconScorer lexicon) {
        this.model = model;
        this.lexicon = lexicon;
    }

    /** What the model says about one message. */
    public record Assessment(double probability, Set<ModerationCategory> lexiconCategories, List<String> terms) {}

    /** @throws IllegalStateException naming the fix, when the bundled file is missing or does not match its checksum */
    public static ActionableModel bundled() {
        return Bundled.INSTANCE.get();
    }

    /** P(actionable) in [0, 1]; 0 for blank text. */
    public double probability(String text) {
        if (text == null || text.isBlank()) return 0;
        char[] t = TextNormalizer.normalize(text);
        return probability(t, lexicon.analyze(t, false));
    }

    /** P(actionable), the lexicon's categories at any label (a fallback when the rules name none) and the matched terms. */
    public Assessment assess(String text) {
        if (text == null || text.isBlank()) return new Assessment(0, Set.of(), List.of());
        char[] t = TextNormalizer.normalize(text);
        LexiconScorer.Analysis a = lexicon.analyze(t, true);
        EnumSet<ModerationCategory> cats = EnumSet.noneOf(ModerationCategory.class);
        for (ModerationCategory c : ModerationCategory.values()) {
            if ((a.categoryMask & (1 << c.ordinal())) != 0) cats.add(c);
        }
        return new Assessment(probability(t, a), cats, a.matched == null ? List.of() : a.matched);
    }

    private double probability(char[] t, LexiconScorer.Analysis a) {
        float[] dense = new float[FeatureHasher.DENSE];
        FeatureHasher.denseFeatures(t, a, dense);
        return TrainedScorer.probability(model, t, dense);
    }

    /** Lazy holder: the class-path read happens once per JVM. */
    private static final class Bundled {
        static final Bundled INSTANCE = new Bundled();
        private final ActionableModel model;
        private final RuntimeException error;

        private Bundled() {
            ActionableModel m = null;
            RuntimeException err = null;
            try (InputStream in = ActionableModel.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    err = new IllegalStateException("bundled actionable model " + BUNDLED_RESOURCE
                            + " is not on the class path; rebuild flink-jobs (sentiment README, 'Actionable model')");
                } else {
                    m = new ActionableModel(verify(in.readAllBytes(), BUNDLED_SHA256), new LexiconScorer(Lexicon.bundled()));
                }
            } catch (IOException e) {
                err = new IllegalStateException("cannot read bundled actionable model " + BUNDLED_RESOURCE + ": " + e.getMessage()
                        + "; rebuild flink-jobs");
            } catch (RuntimeException e) {
                err = e;
            }
            model = m;
            error = err;
        }

        ActionableModel get() {
            if (error != null) throw new IllegalStateException(error.getMessage(), error);
            return model;
        }
    }

    /** Verifies and parses model bytes against the expected SHA-256. */
    static LogisticModel verify(byte[] bytes, String expectedSha256) {
        String actual = SentimentScorers.sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IllegalStateException("bundled actionable model " + BUNDLED_RESOURCE + " has SHA-256 " + actual
                    + " but this build expects " + expectedSha256
                    + "; retrain it with the command in sentiment/README.md ('Actionable model') and update ActionableModel.BUNDLED_SHA256");
        }
        return LogisticModel.parse(bytes, BUNDLED_RESOURCE);
    }
}
