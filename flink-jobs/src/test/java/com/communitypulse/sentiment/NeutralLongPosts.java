package com.communitypulse.sentiment;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated set of long neutral discussion posts (no one complains): each joins five to eight
 * sentences of forum talk from the pools below, picked by a fixed linear congruential sequence, so
 * the set is the same on every run. The pools hold what made the old rule fire on real forum text:
 * category words in their neutral sense, discussions about scams and trolling, mild weak terms, praise,
 * questions and thanks.
 */
final class NeutralLongPosts {
    private NeutralLongPosts() {}

    static final String[] ZH = {
        "这次团购的物流到了，大家记得去驿站取。", "退款很快，谢谢客服。", "晚点我把链接发群里。", "今天下午晚点开会，别迟到哦。",
        "关于如何识别假货，我整理了几条经验。", "最近诈骗电话很多，大家小心，不要点陌生链接。", "这个话题之前讨论过，可以翻一下聊天记录。",
        "包装有点简单，但是东西还行。", "价格稍微贵一点，不过质量不错。", "有的人觉得一般般，我觉得还可以。", "请问下次开团是什么时候？",
        "天凉了，大家注意保暖。", "群主辛苦了，感谢大家的分享。", "我家孩子很喜欢这个绘本。", "说明书写得有点少，看视频就懂了。",
        "有人问退货流程，其实在订单页面就能申请。", "上次有人说慢，其实是节假日的原因。", "我觉得这个颜色和图片差别不大。",
        "他还没到，我们再等等。", "新闻里说的那种骗局，和我们群没关系。", "举报按钮在右上角，看到广告可以用。", "这周末的活动改到周日了。",
        "大家讨论一下哪个口味更好。", "我们小区的快递柜满了，只好放驿站。", "售后的电话是工作日才有人接。", "昨天的直播有点卡，后来好了。",
    };

    static final String[] EN = {
        "Excellent question, splendid answers from everyone.", "The early, high and late middle ages are covered in volume two.",
        "We usually meet in the late afternoon.", "Trolling comes up a lot here, and the best answer is not to feed it.",
        "Scams are a common topic on every forum, so read the pinned article on how to spot them.",
        "How do I get a refund if I change my mind?", "Thanks for the quick replies, this community is great.",
        "The box was a bit plain, but the product itself is fine.", "Shipping usually takes a few days in December.",
        "Some people find the manual a little thin, the videos help.", "Is there a discount code for the next sale?",
        "He is always late to our meetups, which is a running joke.", "The support page has a section on delivery times.",
        "I made a stupid mistake with my settings, sorted now.", "A debate about fake news got off topic yesterday.",
        "Broken links in old threads can be reported to the moderators.", "The history of fraud laws is an interesting read.",
        "Cold weather means the parcels go slower, that is normal.", "The staff answered my question about returns within a day.",
        "Nothing special to add, just saying hello.", "The bug in the search page was fixed last week.",
        "We discussed the refund policy and most people think it is fair.", "The waiter joke in the last thread was hilarious.",
        "Please keep complaints about the weather to the off-topic channel.", "The movie about a con artist was better than I expected.",
    };

    static final List<String> ALL = generate();

    private static List<String> generate() {
        List<String> out = new ArrayList<>();
        long x = 42;
        for (int post = 0; post < 400; post++) {
            boolean zh = post % 2 == 0;
            String[] pool = zh ? ZH : EN;
            x = x * 6364136223846793005L + 1442695040888963407L;
            int sentences = 5 + (int) ((x >>> 33) % 4);
            StringBuilder sb = new StringBuilder();
            for (int s = 0; s < sentences; s++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                sb.append(pool[(int) ((x >>> 33) % pool.length)]);
                if (!zh) sb.append(' ');
            }
            out.add(sb.toString().strip());
        }
        return out;
    }
}
