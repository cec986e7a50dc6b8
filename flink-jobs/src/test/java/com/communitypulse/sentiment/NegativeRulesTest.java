package com.communitypulse.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The negative-message rules on hand-written development examples, one group per phenomenon, in
 * Chinese and English. "Alerts" means what NEGATIVE_MESSAGE needs from the rules at the default
 * max-score: the scorer labels the message negative and the finding's clause scores at most −0.6.
 */
class NegativeRulesTest {
    static final double MAX_SCORE = -0.6;
    private static final LexiconScorer SCORER = new LexiconScorer(Lexicon.bundled());
    private static final NegativeRules RULES = NegativeRules.bundled();

    @TempDir
    Path dir;

    /** The finding NEGATIVE_MESSAGE would act on, or null. */
    static NegativeFinding alert(String text) {
        if (SCORER.score(text, null).label() != SentimentLabel.NEGATIVE) return null;
        NegativeFinding f = RULES.assess(text);
        return f != null && f.score() <= MAX_SCORE ? f : null;
    }

    private static void assertAlerts(String text, ModerationCategory category) {
        NegativeFinding f = alert(text);
        assertThat(f).as("alert for: " + text).isNotNull();
        assertThat(f.categories()).as(text + " -> " + f).contains(category);
    }

    private static void assertNoAlert(String text) {
        assertThat(alert(text)).as("no alert for: " + text).isNull();
    }

    @Test
    void shouldScoreLongPostByItsWorstClauseWhenManyWeakTermsAddUp() {
        String zh = "说说这次团购的感受吧。包装有点简单，价格稍微贵一点，等了一会儿，有的地方一般般，"
                + "颜色和图片比有点差别，说明书有点少，客服回复慢一点点，不过总体还行，大家自己看吧。";
        String en = "A few thoughts on the last sale. The box was a bit plain, the price slightly high, the wait a little long,"
                + " the colour somewhat off, the manual a bit thin and support a little slow, but overall fine for the money.";
        for (String t : List.of(zh, en)) {
            assertNoAlert(t);
        }
        // The same weak terms summed into one clause would have crossed the threshold: the clause cut matters.
        assertThat(SCORER.score("包装有点简单价格稍微贵一点等了一会儿有的地方一般般说明书有点少客服回复慢一点点", null).score())
                .isLessThan(SCORER.score("包装有点简单", null).score());
        assertAlerts("说说这次团购的感受吧。包装还行，价格也可以，但是快递十天了还没到，客服也不理人。", ModerationCategory.DELIVERY);
        assertAlerts("Long post, sorry. The sale was well organised and the prices were fair. My order is now three weeks late"
                + " and nobody answers my emails.", ModerationCategory.DELIVERY);
    }

    @Test
    void shouldNeedOrderContextOrComplaintFrameWhenDeliveryWordIsAmbiguous() {
        assertAlerts("快递十天了还没到", ModerationCategory.DELIVERY);
        assertAlerts("外卖等了两个小时才送到，饭都凉了", ModerationCategory.DELIVERY);
        assertAlerts("my order is 3 days late", ModerationCategory.DELIVERY);
        assertAlerts("The package is two weeks late and still not here", ModerationCategory.DELIVERY);
        assertNoAlert("he is always late to our meetups, lol");
        assertNoAlert("early, high and late middle ages are covered in the second volume");
        assertNoAlert("see you in the late afternoon");
        assertNoAlert("他还没到，我们再等等");
        assertNoAlert("天凉了，大家注意保暖");
        assertNoAlert("物流到了，谢谢");
        assertNoAlert("退款很快，谢谢");
    }

    @Test
    void shouldNotReportFraudWhenMessageDiscussesIt() {
        assertAlerts("这个卖家是骗子，收了钱不发货", ModerationCategory.FRAUD);
        assertAlerts("收到的是假货，太失望了", ModerationCategory.COUNTERFEIT);
        assertAlerts("this seller is a scam, total ripoff", ModerationCategory.FRAUD);
        assertAlerts("I got scammed by this shop", ModerationCategory.FRAUD);
        assertNoAlert("大家如何识别假货？分享一下经验");
        assertNoAlert("最近诈骗电话很多，大家小心");
        assertNoAlert("How to spot scams: never pay upfront, and check the seller's reviews");
        assertNoAlert("Fraud and scams are common topics on this board, see the pinned article");
        assertNoAlert("Trolling is a problem on every forum, the staff should just ignore it");
    }

    @Test
    void shouldNotTreatQuestionsAndThanksAsComplaintsUnlessConcrete() {
        assertNoAlert("请问退款一般多久到账？");
        assertNoAlert("How do I get a refund?");
        assertNoAlert("is this a scam?");
        assertNoAlert("Excellent question, splendid answers, thank you all");
        assertNoAlert("谢谢大家的解答，问题不大");
        assertAlerts("why is my parcel still not here after 10 days?", ModerationCategory.DELIVERY);
        assertAlerts("我的快递怎么十天了还没到？？", ModerationCategory.DELIVERY);
        assertAlerts("你是傻逼吗", ModerationCategory.ABUSE);
    }

    @Test
    void shouldCountComplaintWithItsStrongestSiblingWhenSentenceGoesOn() {
        NegativeFinding f = alert("退款申请被拒绝了三次，太过分了");
        assertThat(f).isNotNull();
        assertThat(f.categories()).containsExactly(ModerationCategory.REFUND);
        assertThat(f.reasons()).contains("refund: '退款' before '拒绝'").anyMatch(r -> r.startsWith("with '"));
        assertAlerts("the seller refused my refund, this is ridiculous", ModerationCategory.REFUND);
        // Two mild clauses stay mild: pairing never sums a whole post.
        assertNoAlert("物流有点慢，包装有点简单，颜色有点暗，说明书有点少，价格有点贵");
    }

    @Test
    void shouldReportScamsAndFakesWhenTheyPointAtSomethingReal() {
        assertAlerts("群里有人冒充客服骗钱，大家注意", ModerationCategory.FRAUD);
        assertAlerts("these earbuds are fake, the serial number does not exist", ModerationCategory.COUNTERFEIT);
        assertAlerts("拿去专柜鉴定是高仿", ModerationCategory.COUNTERFEIT);
        assertNoAlert("fake news about the sale spread fast, it starts on Friday");
    }

    @Test
    void shouldNeedTargetWhenInsultIsMild() {
        assertAlerts("you are an idiot", ModerationCategory.ABUSE);
        assertAlerts("他们就是一群白痴", ModerationCategory.ABUSE);
        assertNoAlert("I made a stupid mistake with my settings");
        assertNoAlert("卧槽，这么便宜");
    }

    @Test
    void shouldBeCriticalOnlyWhenActionIsNeededNow() {
        assertThat(alert("这个卖家是骗子，收了钱不发货").critical()).isTrue();
        assertThat(alert("this seller is a scam, I got a fake bag").critical()).isTrue();
        assertThat(alert("吃了他家的外卖拉肚子，进医院了").critical()).as("health").isTrue();
        assertThat(alert("快递十天了还没到").critical()).as("a delivery complaint is not an emergency").isFalse();
        assertThat(alert("质量太差了，要求退款").critical()).isFalse();
    }

    @Test
    void shouldNameClauseAndTermInContextWhenExplaining() {
        NegativeFinding f = alert("群里东西都不错，但是快递十天了还没到！");
        assertThat(f.reasons()).contains("delivery: '还没到' after '快递'");
        assertThat(f.clause()).contains("快递").contains("还没到").doesNotContain("群里");
        assertThat(f.summary()).startsWith("clause: '" + f.clause() + "' (").contains("delivery: '还没到' after '快递'");
        NegativeFinding e = alert("my order is 3 days late");
        assertThat(e.reasons()).anyMatch(r -> r.startsWith("delivery: 'late' after '"));
        NegativeFinding q = alert("why is my parcel still not here after 10 days?");
        assertThat(q.reasons()).anyMatch(r -> r.startsWith("a question with a concrete complaint"));
    }

    @Test
    void shouldMaskEverythingButVocabularyWhenQuotingClause() {
        NegativeFinding f = alert("斑马金丝雀暗号说这是假货！");
        assertThat(f.clause()).doesNotContain("斑马").contains("假货");
        NegativeFinding e = alert("quixotic zebra says this is a scam!");
        assertThat(e.clause()).doesNotContain("quixotic").doesNotContain("zebra").contains("scam");
    }

    @Test
    void shouldStayUnderOnePercentWhenTextIsLongNeutralDiscussion() {
        int alerts = 0;
        for (String t : NeutralLongPosts.ALL) {
            NegativeFinding f = alert(t);
            if (f != null) {
                alerts++;
                System.out.println("neutral long post alerts: " + f.summary() + " <- " + t);
            }
        }
        System.out.printf("neutral long posts: %d of %d alert (%.2f %%)%n", alerts, NeutralLongPosts.ALL.size(),
                100.0 * alerts / NeutralLongPosts.ALL.size());
        assertThat(alerts).isLessThanOrEqualTo(NeutralLongPosts.ALL.size() / 100);
    }

    /** A figure for the build log: the rules run on negative messages only, after the scorer. */
    @Test
    void shouldAssessQuicklyWhenMessagesAreChatSized() {
        String[] chat = {"送了两个小时才到，饭都凉了，差评！！！", "The food was cold and the driver was rude", "我的快递呢？？？三天了还没到",
            "这是假货吧，和图片完全不一样，骗子", "worst customer service ever, want my money back", "包装破损，东西洒了一半😡",
            "别买，用了两天就坏了，客服也不理人", "waited 40 minutes and they forgot half the order"};
        int found = 0;
        for (int i = 0; i < 20_000; i++) found += RULES.assess(chat[i % chat.length]) == null ? 0 : 1;
        int n = 200_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) found += RULES.assess(chat[i % chat.length]) == null ? 0 : 1;
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("negative-message rules: %.0f negative messages/s on one thread%n", perSecond);
        assertThat(found).isPositive();
        assertThat(perSecond).as("far below the scorer's own cost would mean a regression").isGreaterThan(10_000);
    }

    @Test
    void shouldNameFileAndLineWhenCueListIsMalformed() throws Exception {
        Files.createDirectories(dir.resolve("zh"));
        Files.writeString(dir.resolve("zh/cues.tsv"), "快递\tcontext\tdelivery\n不存在的词\tambiguous\tdelivery\n");
        assertThatThrownBy(() -> NegativeRules.load(Lexicon.bundled(), dir))
                .hasMessageContaining("zh/cues.tsv line 2").hasMessageContaining("categories.tsv");
        Files.writeString(dir.resolve("zh/cues.tsv"), "快递\tplace\n");
        assertThatThrownBy(() -> NegativeRules.load(Lexicon.bundled(), dir))
                .hasMessageContaining("line 1").hasMessageContaining("unknown cue kind");
    }
}
