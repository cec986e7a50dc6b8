package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedScorerTest {

    private static final List<LabelledData.Example> TRAINING = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTrainingSet() {
        String[] pos = {"送餐很快，味道很好", "好吃，量足，下次还点", "服务热情，包装很好", "great food and friendly staff",
            "loved the noodles", "fast delivery, tasty", "味道不错，推荐", "super fresh and delicious"};
        String[] neg = {"送了两个小时，饭都凉了", "太难吃了，差评", "态度恶劣，再也不点了", "cold food and rude driver",
            "terrible, never again", "waited forever, soggy fries", "菜里有头发，恶心", "overpriced and bland"};
        // Repeat with small variations so the SGD has something to chew on.
        for (int i = 0; i < 6; i++) {
            for (String p : pos) {
                TRAINING.add(new LabelledData.Example(p + " " + i, true));
            }
            for (String n : neg) {
                TRAINING.add(new LabelledData.Example(n + " " + i, false));
            }
        }
    }

    private static SentimentTrainer.Options options(long seed) {
        SentimentTrainer.Options o = new SentimentTrainer.Options();
        o.seed = seed;
        o.hashBits = 12;
        return o;
    }

    private static LogisticModel train(long seed) {
        return SentimentTrainer.train(TRAINING, options(seed), new LexiconScorer(Lexicon.bundled()));
    }

    @Test
    void shouldWriteIdenticalModelFilesWhenTrainedTwiceWithSameSeed() throws Exception {
        Path a = dir.resolve("a.model");
        Path b = dir.resolve("b.model");
        train(7).write(a);
        train(7).write(b);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void shouldChangeWeightsWhenSeedChanges() {
        assertThat(train(7).weights).isNotEqualTo(train(8).weights);
    }

    @Test
    void shouldScoreIdenticallyWhenModelIsSavedAndLoaded() throws Exception {
        LogisticModel model = train(42);
        Path file = dir.resolve("m.model");
        model.write(file);
        SentimentScorer inMemory = new TrainedScorer(model, new LexiconScorer(Lexicon.bundled()));
        SentimentScorer loaded = SentimentScorers.create(file.toString());
        LogisticModel reread = LogisticModel.read(file);
        assertThat(reread.weights).isEqualTo(model.weights);
        assertThat(reread.dense).isEqualTo(model.dense);
        assertThat(reread.bias).isEqualTo(model.bias);
        assertThat(reread.neutralBand).isEqualTo(model.neutralBand);
        assertThat(reread.ngramScale).isEqualTo(model.ngramScale);
        for (String t : List.of("味道很好", "饭都凉了", "friendly staff", "rude driver 😡", "")) {
            assertThat(loaded.score(t, null)).isEqualTo(inMemory.score(t, null));
        }
    }

    @Test
    void shouldSeparateClassesWhenTrainedOnThem() {
        SentimentScorer s = new TrainedScorer(train(42), new LexiconScorer(Lexicon.bundled()));
        assertThat(s.score("送餐很快，味道很好", null).label()).isEqualTo(SentimentLabel.POSITIVE);
        SentimentResult neg = s.score("饭都凉了，态度恶劣", null);
        assertThat(neg.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(neg.categories()).contains(ModerationCategory.DELIVERY, ModerationCategory.SERVICE);
        assertThat(neg.confidence()).isBetween(0.5, 1.0);
        assertThat(neg.score()).isBetween(-1.0, 0.0);
    }

    @Test
    void shouldExplainFixWhenModelFileIsMissing() {
        assertThatThrownBy(() -> SentimentScorers.create(dir.resolve("missing.model").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("pulse sentiment train")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldExplainFixWhenModelFileIsCorrupt() throws Exception {
        Path file = dir.resolve("m.model");
        train(1).write(file);
        byte[] bytes = Files.readAllBytes(file);

        bytes[100] ^= 0x55;
        Path flipped = dir.resolve("flipped.model");
        Files.write(flipped, bytes);
        assertThatThrownBy(() -> SentimentScorers.create(flipped.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt (checksum mismatch)")
                .hasMessageContaining("retrain");

        Path truncated = dir.resolve("truncated.model");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> SentimentScorers.create(truncated.toString())).hasMessageContaining("corrupt");

        Path text = dir.resolve("text.model");
        Files.writeString(text, "this is not a model, it is a note about a model");
        assertThatThrownBy(() -> SentimentScorers.create(text.toString()))
                .hasMessageContaining("not a community-pulse sentiment model");
    }

    @Test
    void shouldUseBundledModelWhenModelPathIsBlankAndLexiconAloneWhenAsked() {
        assertThat(SentimentScorers.create(null)).isInstanceOf(TrainedScorer.class);
        assertThat(SentimentScorers.create("  ")).isInstanceOf(TrainedScorer.class);
        assertThat(SentimentScorers.create("lexicon")).isInstanceOf(LexiconScorer.class);
        // read once per JVM: every task shares the same immutable weights
        assertThat(SentimentScorers.bundledModel()).isSameAs(SentimentScorers.bundledModel());
    }

    @Test
    void shouldRefuseBundledModelBytesWhoseChecksumDiffers() throws Exception {
        byte[] shipped;
        try (var in = SentimentScorers.class.getResourceAsStream(SentimentScorers.BUNDLED_RESOURCE)) {
            shipped = in.readAllBytes();
        }
        assertThat(SentimentScorers.sha256(shipped)).isEqualTo(SentimentScorers.BUNDLED_SHA256);
        // independent of our hex formatting: the JDK's own digest of the same bytes
        assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(shipped)))
                .isEqualTo(SentimentScorers.BUNDLED_SHA256);
        assertThat(SentimentScorers.verifyBundled(shipped, SentimentScorers.BUNDLED_SHA256).weights)
                .isEqualTo(SentimentScorers.bundledModel().weights);
        byte[] tampered = shipped.clone();
        tampered[4000] ^= 0x01; // a weight, so the CRC would catch it too: the SHA-256 check comes first
        assertThatThrownBy(() -> SentimentScorers.verifyBundled(tampered, SentimentScorers.BUNDLED_SHA256))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has SHA-256 " + SentimentScorers.sha256(tampered))
                .hasMessageContaining("sentiment.model=lexicon")
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldKeepSignConventionAndCategoriesWhenBundledScorerScoresChat() {
        SentimentScorer s = SentimentScorers.create(null);
        for (String t : List.of("质量太差了，要求退款", "this is a scam, I want a refund", "收到的是假货，太失望了，退钱",
                "客服根本不理人，差评，我要投诉", "worst purchase ever, broken on arrival, refund now")) {
            SentimentResult r = s.score(t, null);
            assertThat(r.label()).as(t).isEqualTo(SentimentLabel.NEGATIVE);
            assertThat(r.score()).as(t).isBetween(-1.0, -0.6); // the NEGATIVE_MESSAGE default threshold
            assertThat(r.categories()).as(t).isNotEmpty();
            assertThat(r.confidence()).as(t).isEqualTo(Math.max((1 + r.score()) / 2, (1 - r.score()) / 2), within(1e-12));
        }
        for (String t : List.of("谢谢群主，东西很好用", "love it, great deal", "宝贝收到了，和描述一致，很满意", "highly recommend this seller")) {
            SentimentResult r = s.score(t, null);
            assertThat(r.label()).as(t).isEqualTo(SentimentLabel.POSITIVE);
            assertThat(r.score()).as(t).isBetween(0.0, 1.0);
            assertThat(r.categories()).as(t).isEmpty();
        }
        assertThat(s.score("", null)).isEqualTo(SentimentResult.empty());
    }

    @Test
    void shouldScoreSameTextIdenticallyWhenScratchArrayGrowsBetweenCalls() {
        SentimentScorer s = SentimentScorers.create(null);
        String shortText = "包装破损，东西洒了一半";
        SentimentResult before = s.score(shortText, null);
        s.score("很好用".repeat(2000), null); // forces a larger per-thread scratch array
        assertThat(s.score(shortText, null)).isEqualTo(before);
    }
}
