package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexicon scorer on its own (not the default scorer) on the shared dev sets: the floors the negative-message rules must not lower. */
class LexiconDevSetF1Test {

    private static double f1(String file) {
        List<LabelledData.Example> rows = LabelledData.read(SharedDevData.require(file));
        BinaryEvaluation ev = SentimentCli.evaluate(new LexiconScorer(Lexicon.bundled()), rows);
        System.out.printf("lexicon scorer on %s: macro-F1 %.4f, accuracy %.4f%n", file, ev.macroF1(), ev.accuracy());
        return ev.macroF1();
    }

    @Test
    void shouldKeepMacroF1WhenLexiconScoresWaimai() {
        assertThat(f1("waimai_10k.csv")).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void shouldKeepMacroF1WhenLexiconScoresYelp() {
        assertThat(f1("yelp_labelled.txt")).isGreaterThanOrEqualTo(0.75);
    }
}
