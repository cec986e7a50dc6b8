package com.communitypulse.sentiment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Builds the configured {@link SentimentScorer}. Call once per task (in {@code open()}): the lexicon
 * and the bundled model are loaded once per JVM and shared (both are immutable), a model file named
 * by path is read once per call.
 *
 * <p>The default is the <b>bundled scorer</b>: the lexicon's findings combined with a learned model
 * ({@link TrainedScorer} over {@value #BUNDLED_RESOURCE}, trained by the command in
 * {@code sentiment/README.md}, "Bundled model"). Its SHA-256 is fixed here and checked at load, so a
 * jar carries exactly the model that was measured.
 */
public final class SentimentScorers {

    /** {@code sentiment.model} value selecting the lexicon scorer alone. */
    public static final String LEXICON = "lexicon";

    /** Class-path resource of the bundled model; the version in the name changes with its contents. */
    static final String BUNDLED_RESOURCE = "/sentiment/model-v1.bin";

    /** SHA-256 of {@link #BUNDLED_RESOURCE}; retraining with the documented command reproduces it. */
    static final String BUNDLED_SHA256 = "9ed8fe455277f7ac1083e26993b951185b34963b14b54a51763bb00b8857e503";

    private SentimentScorers() {}

    /**
     * @param modelPath {@code null} or blank for the bundled scorer (lexicon + learned model),
     *     {@value #LEXICON} for the lexicon scorer alone, otherwise a model file written by
     *     {@code pulse sentiment train}
     * @throws IllegalArgumentException one line naming the fix, for a missing or corrupt model file
     */
    public static SentimentScorer create(String modelPath) {
        LexiconScorer lexicon = new LexiconScorer(Lexicon.bundled());
        if (modelPath == null || modelPath.isBlank()) {
            return new TrainedScorer(Bundled.model(), lexicon);
        }
        if (modelPath.strip().equals(LEXICON)) {
            return lexicon;
        }
        return new TrainedScorer(LogisticModel.read(Path.of(modelPath.strip())), lexicon);
    }

    /** The bundled model, read and verified on first use. */
    static LogisticModel bundledModel() {
        return Bundled.model();
    }

    static String sha256(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Verifies and parses bundled model bytes; public for the test that reads a rebuilt file. */
    static LogisticModel verifyBundled(byte[] bytes, String expectedSha256) {
        String actual = sha256(bytes);
        if (!actual.equals(expectedSha256)) {
            throw new IllegalStateException("bundled sentiment model " + BUNDLED_RESOURCE + " has SHA-256 " + actual
                    + " but this build expects " + expectedSha256
                    + "; rebuild the jar, or set sentiment.model=lexicon to run without it");
        }
        return LogisticModel.parse(bytes, BUNDLED_RESOURCE);
    }

    /** Lazy holder: the class-path read happens once per JVM, on the first {@link #create} that needs it. */
    private static final class Bundled {
        private static final LogisticModel MODEL;
        private static final RuntimeException ERROR;

        static {
            LogisticModel m = null;
            RuntimeException err = null;
            try (InputStream in = SentimentScorers.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    err = new IllegalStateException("bundled sentiment model " + BUNDLED_RESOURCE
                            + " is not on the class path; rebuild the jar, or set sentiment.model=lexicon to run without it");
                } else {
                    m = verifyBundled(in.readAllBytes(), BUNDLED_SHA256);
                }
            } catch (IOException e) {
                err = new IllegalStateException("cannot read bundled sentiment model " + BUNDLED_RESOURCE + ": " + e.getMessage()
                        + "; rebuild the jar, or set sentiment.model=lexicon to run without it");
            } catch (RuntimeException e) {
                err = e;
            }
            MODEL = m;
            ERROR = err;
        }

        static LogisticModel model() {
            if (ERROR != null) {
                // a fresh exception per call: the stored one would carry the first caller's stack
                throw new IllegalStateException(ERROR.getMessage(), ERROR);
            }
            return MODEL;
        }
    }
}
