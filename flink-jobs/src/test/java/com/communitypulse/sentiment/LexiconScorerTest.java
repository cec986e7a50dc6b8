package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LexiconScorerTest {

    private static final SentimentScorer SCORER = new LexiconScorer(Lexicon.bundled());

    private static SentimentResult zh(String text) {
        return SCORER.score(text, "zh");
    }

    private static SentimentResult en(String text) {
        return SCORER.score(text, "en");
    }

    @Test
    void shouldLabelPlainPraiseAndCriticismWhenNoModifiers() {
        assertThat(zh("好吃").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(zh("难吃").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("The food was delicious").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(en("The food was awful").label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldFlipPolarityWhenNegatorPrecedesPositiveTerm() {
        assertThat(zh("不好吃").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("没有想象中好吃").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("不满意").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("not good").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("The staff weren't friendly").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("I didn't enjoy it").label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldTurnMildlyPositiveWhenNegativeTermIsNegated() {
        SentimentResult notBad = en("not bad");
        assertThat(notBad.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(notBad.score()).isLessThan(en("good").score());
        assertThat(zh("不难吃").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(zh("没问题").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldSoftenDenialWhenNegatorPrecedesDegreeWord() {
        SentimentResult notVeryGood = zh("不太好");
        assertThat(notVeryGood.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(notVeryGood.score()).isGreaterThan(zh("不好").score());
        assertThat(en("not very good").score()).isGreaterThan(en("not good").score()).isNegative();
    }

    @Test
    void shouldCancelOutWhenNegatedTwice() {
        assertThat(zh("不是不好吃").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldAmplifyWhenDegreeAdverbPrecedesTerm() {
        assertThat(zh("非常好吃").score()).isGreaterThan(zh("好吃").score());
        assertThat(zh("很慢").score()).isLessThan(zh("慢").score());
        assertThat(en("extremely good").score()).isGreaterThan(en("good").score());
        assertThat(en("very slow").score()).isLessThan(en("slow").score());
    }

    @Test
    void shouldDampenWhenDiminisherPrecedesTerm() {
        assertThat(zh("稍微慢").score()).isGreaterThan(zh("慢").score()).isNegative();
        assertThat(en("slightly slow").score()).isGreaterThan(en("slow").score()).isNegative();
    }

    @Test
    void shouldAmplifyWhenDegreeFollowsTermInChinese() {
        assertThat(zh("难吃死了").score()).isLessThan(zh("难吃").score());
        assertThat(zh("好吃极了").score()).isGreaterThan(zh("好吃").score());
    }

    @Test
    void shouldReadGoodAsDegreeWordWhenItPrecedesAnotherTerm() {
        assertThat(zh("好慢").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("好难吃").score()).isLessThan(zh("难吃").score());
    }

    @Test
    void shouldComplainWhenExcessAdverbPrecedesUnknownWord() {
        assertThat(zh("太干了").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("way too sweet").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("The fries were great too.").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(zh("太好吃了").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldWeighClauseAfterContrastMoreWhenContrastWordPresent() {
        assertThat(zh("味道很好，但是送餐太慢了").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("送餐太慢了，但是味道很好").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(en("The food was good but the service was terrible").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("The wait was long, however the food was excellent").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldDiscountConcessionClauseWhenAlthoughPresent() {
        assertThat(zh("虽然有点贵，但是很好吃").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(en("Although the staff were friendly, the food was bad").label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldScoreEmojiAndEmoticonsWhenNoWordsMatch() {
        assertThat(zh("😡😡").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("👍👍").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(zh("❤️").label()).isEqualTo(SentimentLabel.POSITIVE); // with variation selector U+FE0F
        assertThat(en("see you there :)").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(en("missed it :(").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("今天又下雨[泪]").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("😍").matchedTerms()).containsExactly("😍");
    }

    @Test
    void shouldNotNegateEmojiWhenNegatorPrecedes() {
        assertThat(zh("不😊").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldAmplifyWhenExclamationMarksRepeat() {
        assertThat(zh("送餐慢！！！").score()).isLessThan(zh("送餐慢").score());
        assertThat(en("great!!!").score()).isGreaterThan(en("great").score());
    }

    @Test
    void shouldReadRepeatedQuestionMarksAsFrustrationWhenNoTermMatches() {
        assertThat(zh("我的外卖呢？？？").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(en("where is my order???").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(zh("我的外卖呢？").label()).isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void shouldReportCategoriesWithEvidenceWhenMessageIsNegative() {
        SentimentResult r = zh("这是假货，骗子！我要退款");
        assertThat(r.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(r.categories()).containsExactlyInAnyOrder(
                ModerationCategory.COUNTERFEIT, ModerationCategory.FRAUD, ModerationCategory.REFUND);
        assertThat(r.matchedTerms()).contains("假货", "骗子", "退款");

        SentimentResult e = en("The driver was late, the food arrived cold and I want a refund");
        assertThat(e.label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(e.categories()).contains(ModerationCategory.DELIVERY, ModerationCategory.REFUND);

        assertThat(zh("送了两个小时才到，还洒了").categories()).containsExactly(ModerationCategory.DELIVERY);
        assertThat(zh("客服态度恶劣，电话也不接").categories()).contains(ModerationCategory.SERVICE);
        assertThat(zh("菜里有头发，还有股馊味").categories()).containsExactly(ModerationCategory.QUALITY);
        assertThat(zh("我要投诉你们").categories()).containsExactly(ModerationCategory.COMPLAINT);
        assertThat(en("you are an idiot").categories()).containsExactly(ModerationCategory.ABUSE);
        assertThat(en("this seller is a scam, total ripoff").categories()).contains(ModerationCategory.FRAUD);
    }

    @Test
    void shouldReportNoCategoriesWhenMessageIsNotNegative() {
        SentimentResult r = zh("退款很快，客服态度很好，谢谢");
        assertThat(r.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(r.categories()).isEmpty();
        assertThat(r.matchedTerms()).contains("退款", "客服");
        assertThat(en("How do I track my delivery?").categories()).isEmpty();
    }

    @Test
    void shouldMatchEnglishTermsOnlyOnWordBoundaries() {
        assertThat(en("goodbye everyone").label()).isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(en("GOOD").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(en("not   good").label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldScoreMixedChineseAndEnglishWhenNoHintGiven() {
        SentimentResult r = SCORER.score("这个 very good，送餐很快", null);
        assertThat(r.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(r.matchedTerms()).contains("good", "很快");
        assertThat(SCORER.score("质量太差了 worst purchase ever", null).label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void shouldFoldFullWidthPunctuationAndLettersWhenMatching() {
        assertThat(en("ＧＯＯＤ").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void shouldReturnNeutralEmptyResultWhenTextIsBlank() {
        assertThat(zh(null)).isEqualTo(SentimentResult.empty());
        assertThat(zh("   ")).isEqualTo(SentimentResult.empty());
        SentimentResult r = zh("今天下午三点开会");
        assertThat(r.label()).isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(r.score()).isZero();
        assertThat(r.matchedTerms()).isEmpty();
    }

    @Test
    void shouldKeepScoreAndConfidenceInRangeWhenTextIsExtreme() {
        String[] texts = {
            "好好好好好好好好好好好好好好好好好好好好非常非常非常好吃！！！！！！！！！！",
            "差差差差差差差差差差差差差差差差 😡😡😡😡😡😡😡😡😡😡 ？？？？？？？",
            "not not not not good", "????", "!!!!", "😀", "a", "但是", "but", "太", "不"
        };
        for (String t : texts) {
            SentimentResult r = SCORER.score(t, null);
            assertThat(r.score()).as(t).isBetween(-1.0, 1.0);
            assertThat(r.confidence()).as(t).isBetween(0.0, 1.0);
        }
    }

    @Test
    void shouldGiveSameResultsWhenSharedAcrossThreads() throws Exception {
        List<String> texts = List.of("很好吃，送餐也快", "The food was cold and the driver was rude!!!",
                "送了两个小时才到，还洒了，差评", "not bad at all 👍", "假货！骗子！");
        List<SentimentResult> expected = new ArrayList<>();
        for (String t : texts) {
            expected.add(SCORER.score(t, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int k = i % texts.size();
                        if (!SCORER.score(texts.get(k), null).equals(expected.get(k))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
