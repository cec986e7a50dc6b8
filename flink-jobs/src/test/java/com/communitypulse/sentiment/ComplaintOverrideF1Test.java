package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled scorer labels a message negative when the negative-message rules find a complaint
 * clause in it, whatever the model leans to ({@link TrainedScorer#COMPLAINT_CLAUSE}). That must not
 * cost review-sentiment quality: on both shared dev sets the bundled scorer with the override keeps
 * the macro-F1 of the same model without it (both figures are in-sample for the model, which was
 * trained on these sets; the comparison is what counts, not the level).
 */
class ComplaintOverrideF1Test {

    private static double[] f1(String file) {
        List<LabelledData.Example> rows = LabelledData.read(SharedDevData.require(file));
        LexiconScorer lexicon = new LexiconScorer(Lexicon.bundled());
        double without = SentimentCli.evaluate(new TrainedScorer(SentimentScorers.bundledModel(), lexicon), rows).macroF1();
        double with = SentimentCli.evaluate(new TrainedScorer(SentimentScorers.bundledModel(), lexicon, NegativeRules.bundled()), rows).macroF1();
        System.out.printf("bundled scorer on %s: macro-F1 %.4f with the complaint override, %.4f without%n", file, with, without);
        return new double[] {with, without};
    }

    @Test
    void shouldKeepMacroF1OnWaimaiWithTheComplaintOverride() {
        double[] f = f1("waimai_10k.csv");
        assertThat(f[0]).isGreaterThanOrEqualTo(f[1] - 0.005);
    }

    @Test
    void shouldKeepMacroF1OnYelpWithTheComplaintOverride() {
        double[] f = f1("yelp_labelled.txt");
        assertThat(f[0]).isGreaterThanOrEqualTo(f[1] - 0.005);
    }
}
