package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexiconTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadEveryBundledListWhenResourcesArePresent() {
        Lexicon lex = Lexicon.bundled();
        assertThat(lex.size()).isGreaterThan(1_000);
        assertThat(Lexicon.bundled()).isSameAs(lex);
    }

    @Test
    void shouldAddAndOverrideTermsWhenExtraDirectoryGiven() throws Exception {
        Files.createDirectories(dir.resolve("zh"));
        Files.writeString(dir.resolve("zh/sentiment.tsv"), "# team slang\n绝绝子\t2.5\n好吃\t-1\n");
        LexiconScorer scorer = new LexiconScorer(Lexicon.load(dir));
        assertThat(scorer.score("绝绝子", null).label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("好吃", null).label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldNameFileAndLineWhenExtraListIsMalformed() throws Exception {
        Files.createDirectories(dir.resolve("en"));
        Files.writeString(dir.resolve("en/modifiers.tsv"), "very\tdegree\t1.5\nkinda\tsoftener\n");
        assertThatThrownBy(() -> Lexicon.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modifiers.tsv line 2")
                .hasMessageContaining("unknown modifier kind");
    }

    @Test
    void shouldRejectWeightWhenOutOfRange() throws Exception {
        Files.writeString(dir.resolve("emoji.tsv"), "🙂\t9\n");
        assertThatThrownBy(() -> Lexicon.load(dir)).hasMessageContaining("emoji.tsv line 1");
    }
}
