package com.communitypulse.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Labelled review-like sentences the project writes itself, for training the bundled model next to
 * the dev sets. The dev sets are food delivery (Chinese) and restaurants (English); a model fitted to
 * them alone learns that "rice" or "delivery" is evidence. These sentences put generic product, shop,
 * hotel and service aspects ("质量", "物流", "客服", "battery", "seller") next to generic praise and
 * complaints, in the shapes the lexicon handles (negation, contrast, concession), with neutral
 * narrative padding in both classes so that length and narrative words carry no label.
 *
 * <p>The dev sets have no neutral class, so a model fitted to them alone reads every question or
 * logistics line ("明天几点开团？", "物流到了", "late afternoon works for me") as leaning negative —
 * in food-delivery reviews a question is usually a complaint. Group-chat lines with no opinion
 * (questions, pick-up and delivery chatter, category words in their neutral use) are therefore
 * generated too and trained towards p = 0.5, which keeps them inside the neutral band.
 *
 * <p>Generated, not curated: every sentence is a template filled from the word lists below with a
 * seeded {@link Random}, so {@code pulse sentiment train --synthetic N} is reproducible. The word
 * lists are general vocabulary written for this class, not copied from any evaluation set.
 */
final class SyntheticReviews {

    private SyntheticReviews() {}

    private static final String[] ZH_ASPECT = {"质量", "做工", "包装", "物流", "快递", "客服", "价格", "性价比", "尺码", "颜色",
        "面料", "屏幕", "电池", "手感", "效果", "房间", "服务", "环境", "位置", "前台", "床", "卫生", "设施", "早餐", "款式",
        "声音", "系统", "速度", "安装", "售后", "商家", "卖家", "东西", "宝贝", "衣服", "鞋子", "手机", "这本书", "电脑", "酒店",
        "材质", "味道", "音质", "续航", "做工细节", "外观", "隔音", "空调", "网速", "发货"};
    private static final String[] ZH_POS = {"很好", "不错", "挺好的", "非常好", "很棒", "满意", "很满意", "超级好", "很舒服",
        "很干净", "很方便", "很快", "很值", "很漂亮", "很结实", "很耐用", "好用", "很精致", "很喜欢", "没得说", "一流",
        "物超所值", "很清晰", "很流畅", "很热情", "很周到", "挺不错的", "相当好", "完美", "很赞", "很实惠", "很贴心", "很正宗",
        "和描述一致", "比想象中好", "很好看", "很合身", "很安静"};
    private static final String[] ZH_NEG = {"很差", "太差了", "不好", "很一般", "很失望", "很垃圾", "太慢了", "很脏", "很难用",
        "有问题", "坏了", "破损了", "不行", "很糟糕", "很粗糙", "是假的", "有异味", "掉色", "起球了", "很卡", "发热严重",
        "很模糊", "不耐用", "态度恶劣", "不理人", "很敷衍", "太贵了", "很吵", "很旧", "太小了", "有色差", "质量堪忧",
        "简直无语", "让人失望", "差劲", "很烂", "不靠谱"};
    private static final String[] ZH_NEG_OF_POS = {"不太好", "不怎么样", "不满意", "不舒服", "不干净", "不值这个价",
        "没有想象中好", "不推荐", "不好用", "不清楚", "不方便", "一点也不好"};
    private static final String[] ZH_POS_OF_NEG = {"没有异味", "没有色差", "一点也不卡", "不会掉色", "没有破损", "不贵",
        "没有任何问题", "不吵", "一点都不差", "没让人失望"};
    private static final String[] ZH_POS_END = {"推荐购买", "值得购买", "五星好评", "下次还来", "会回购的", "给个好评",
        "推荐给大家", "好评", "很开心", "满分", "支持一下", "以后就认准这家了"};
    private static final String[] ZH_NEG_END = {"不会再买了", "差评", "申请退货了", "后悔买了", "大家别买", "再也不来了",
        "要求退款", "浪费钱", "不推荐", "太坑了", "非常生气", "投诉了"};
    private static final String[] ZH_PAD = {"给我妈买的", "第二次购买了", "用了一个星期", "双十一买的", "出差住的",
        "周末带孩子来的", "朋友推荐的", "拿到手之后仔细看了看", "和家人一起住了两晚", "之前在别家也买过", "这次是帮同事买的",
        "下单的时候犹豫了很久", "看了很多评价才决定的", "收到后马上试了一下", "我们一行四个人", "公司统一订的",
        "这是第三次来了", "活动的时候入手的", "先说一下情况", "总的来说"};
    private static final String[] ZH_MILD_NEG = {"有点贵", "稍微慢了点", "包装一般", "位置有点偏", "颜色有点深", "有点小"};

    private static final String[] EN_ASPECT = {"the quality", "the battery", "the screen", "the sound", "the price", "this product",
        "the item", "this phone", "the case", "the headset", "the charger", "the seller", "shipping", "the delivery",
        "customer service", "the staff", "the room", "the hotel", "the bed", "the design", "the material", "the fit",
        "the build quality", "the software", "the keyboard", "the camera", "the app", "the support team", "the packaging",
        "the instructions", "the cable", "this book", "the location", "the check-in"};
    private static final String[] EN_POS = {"is great", "is excellent", "works perfectly", "is very good", "is good",
        "is amazing", "is comfortable", "is sturdy", "is crystal clear", "was fast", "is reliable", "is worth every penny",
        "exceeded my expectations", "works great", "is fantastic", "is solid", "is impressive", "is perfect", "was very helpful",
        "is just what I needed", "is well made", "was friendly", "is top notch", "is outstanding", "is pretty nice"};
    private static final String[] EN_NEG = {"is terrible", "is poor", "broke after a week", "stopped working", "is cheap and flimsy",
        "is disappointing", "is useless", "is a waste of money", "is awful", "does not work", "is very bad", "is horrible",
        "is defective", "is uncomfortable", "was rude", "is a joke", "died in two days", "is junk", "was a nightmare",
        "fell apart", "is garbage", "is unreliable", "is way too slow", "was unhelpful", "is worse than expected"};
    private static final String[] EN_NEG_OF_POS = {"is not good", "is not worth it", "is not very comfortable",
        "doesn't work well", "is not as described", "is not reliable", "was not helpful", "isn't great", "never worked properly"};
    private static final String[] EN_POS_OF_NEG = {"is not bad at all", "gave me no problems", "never had an issue",
        "did not disappoint", "is not expensive", "has no flaws I can find", "never fails"};
    private static final String[] EN_POS_END = {"Highly recommend.", "Would buy again.", "Five stars.", "Love it!",
        "Very happy with it.", "Great purchase.", "I recommend this seller.", "Totally satisfied."};
    private static final String[] EN_NEG_END = {"Returning it.", "Do not buy.", "Never again.", "Avoid.", "Want my money back.",
        "Very disappointed.", "One star.", "Waste of time."};
    private static final String[] EN_PAD = {"I bought this for my mother", "I have used it for a week", "Ordered it on sale",
        "We stayed two nights", "My friend recommended it", "This is my second one", "I read a lot of reviews first",
        "I got it last Tuesday", "After unpacking it I tried it right away", "I use it every day at work",
        "So here is my honest review", "Overall"};
    private static final String[] EN_MILD_NEG = {"it is a bit pricey", "shipping was a little slow", "the box was plain",
        "the color is slightly darker", "it is a little heavy"};

    private static final String[] ZH_CHAT_PREFIX = {"", "", "请问", "群主，", "亲，", "大家好，", "@管理员 ", "姐妹们，", "麻烦问一下，"};
    private static final String[] ZH_CHAT = {"今天几点开团", "明天几点开始", "这个还有货吗", "物流到哪了", "快递到了吗",
        "物流到了", "快递已经到了", "已经下单了", "已付款", "收到", "好的", "好的收到", "我要两份", "地址要改一下", "能改地址吗",
        "退款流程是怎样的", "怎么申请退款", "发票怎么开", "周末有活动吗", "这两款有什么区别", "尺码怎么选", "一米六穿什么码",
        "几号发货", "今天下午三点截单", "晚上八点直播", "拼单的请接龙", "我也要一份", "帮我留一个", "这个是什么材质",
        "可以用优惠券吗", "群里还有人拼吗", "下周还有这个吗", "发的是什么快递", "单号发我一下", "到了我通知大家", "我先去上班了",
        "刚看到消息", "大家早上好", "周六在小区门口自提", "放在快递柜了", "明天统一配送", "这次团购截止到周五", "有没有人一起拼",
        "刚刚转账了", "退款到账了", "客服电话是多少", "售后找谁", "我昨天问过客服了", "物流信息显示在派送中", "这个可以退换吗",
        "大家都买的哪个颜色", "明天下雨自提改到后天", "我在外地，晚点再取", "这个要冷藏吗", "多少钱一箱"};
    private static final String[] ZH_CHAT_SUFFIX = {"", "", "？", "?", "呀", "呢？", "～", "。", "哈"};
    private static final String[] EN_CHAT_PREFIX = {"", "", "hi all, ", "quick question: ", "@admin ", "hey, "};
    private static final String[] EN_CHAT = {"when is the next group buy", "is this still available", "what size should I get",
        "I'll pick it up late afternoon", "the parcel arrived today", "how do I request a refund", "does anyone have the tracking number",
        "good morning everyone", "I ordered two", "can someone share the link", "what's the difference between the two models",
        "do you ship to Canada", "pickup is at the front gate on Saturday", "the group order closes on Friday", "I just paid",
        "who handles returns", "what's the customer service number", "my package says out for delivery", "can I change my address",
        "anyone else joining this one", "I'll be late tonight", "see you all tomorrow", "where is the pickup point",
        "how long does shipping usually take", "is there a discount code", "just placed my order", "the refund came through",
        "which color did everyone get", "can I pay by card", "delivery is scheduled for Monday", "does it need to be refrigerated",
        "I'm out of town, will collect next week", "how much is a box"};
    private static final String[] EN_CHAT_SUFFIX = {"", "?", "."};

    /**
     * {@code n} Chinese and {@code n / 2} English review sentences, half positive, then {@code n / 3}
     * Chinese and {@code n / 6} English neutral chat lines.
     */
    static List<LabelledData.Example> generate(int n, long seed) {
        Random r = new Random(seed);
        List<LabelledData.Example> out = new ArrayList<>(n * 2);
        for (int i = 0; i < n; i++) {
            boolean pos = (i & 1) == 0;
            out.add(new LabelledData.Example(zh(r, pos), pos));
        }
        for (int i = 0; i < n / 2; i++) {
            boolean pos = (i & 1) == 0;
            out.add(new LabelledData.Example(en(r, pos), pos));
        }
        for (int i = 0; i < n / 3; i++) {
            out.add(new LabelledData.Example(pick(r, ZH_CHAT_PREFIX) + pick(r, ZH_CHAT) + pick(r, ZH_CHAT_SUFFIX), false, true));
        }
        for (int i = 0; i < n / 6; i++) {
            String t = pick(r, EN_CHAT_PREFIX) + pick(r, EN_CHAT) + pick(r, EN_CHAT_SUFFIX);
            out.add(new LabelledData.Example(t, false, true));
        }
        return out;
    }

    /** How many rows {@link #generate} returns for {@code n}. */
    static int size(int n) {
        return n + n / 2 + n / 3 + n / 6;
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    private static String zh(Random r, boolean pos) {
        StringBuilder s = new StringBuilder();
        int pads = r.nextInt(4) == 0 ? 2 : r.nextInt(2);
        for (int p = 0; p < pads; p++) {
            s.append(pick(r, ZH_PAD)).append('，');
        }
        String a1 = pick(r, ZH_ASPECT);
        String a2 = pick(r, ZH_ASPECT);
        switch (r.nextInt(5)) {
            case 0: // plain
                s.append(a1).append(pick(r, pos ? ZH_POS : ZH_NEG)).append('，').append(a2).append(pick(r, pos ? ZH_POS : ZH_NEG));
                break;
            case 1: // negation
                s.append(a1).append(pick(r, pos ? ZH_POS_OF_NEG : ZH_NEG_OF_POS)).append('，').append(a2).append(pick(r, pos ? ZH_POS : ZH_NEG));
                break;
            case 2: // contrast: the part after the conjunction decides
                s.append(r.nextBoolean() ? "虽然" : "").append(a1).append(pick(r, pos ? ZH_MILD_NEG : ZH_POS))
                        .append('，').append(r.nextBoolean() ? "但是" : "不过").append(a2).append(pick(r, pos ? ZH_POS : ZH_NEG));
                break;
            case 3: // single aspect, strong
                s.append(a1).append(pick(r, pos ? ZH_POS : ZH_NEG));
                break;
            default: // negated only
                s.append(a1).append(pick(r, pos ? ZH_POS_OF_NEG : ZH_NEG_OF_POS));
                break;
        }
        if (r.nextInt(3) != 0) {
            s.append('，').append(pick(r, pos ? ZH_POS_END : ZH_NEG_END));
        }
        s.append(r.nextInt(4) == 0 ? "！" : "。");
        return s.toString();
    }

    private static String en(Random r, boolean pos) {
        StringBuilder s = new StringBuilder();
        if (r.nextInt(3) == 0) {
            s.append(pick(r, EN_PAD)).append(", ");
        }
        String a1 = pick(r, EN_ASPECT);
        String a2 = pick(r, EN_ASPECT);
        switch (r.nextInt(5)) {
            case 0:
                s.append(a1).append(' ').append(pick(r, pos ? EN_POS : EN_NEG)).append(" and ").append(a2).append(' ')
                        .append(pick(r, pos ? EN_POS : EN_NEG));
                break;
            case 1:
                s.append(a1).append(' ').append(pick(r, pos ? EN_POS_OF_NEG : EN_NEG_OF_POS)).append(", ").append(a2).append(' ')
                        .append(pick(r, pos ? EN_POS : EN_NEG));
                break;
            case 2:
                s.append(pos ? pick(r, EN_MILD_NEG) : a1 + " " + pick(r, EN_POS)).append(", but ").append(a2).append(' ')
                        .append(pick(r, pos ? EN_POS : EN_NEG));
                break;
            case 3:
                s.append(a1).append(' ').append(pick(r, pos ? EN_POS : EN_NEG));
                break;
            default:
                s.append(a1).append(' ').append(pick(r, pos ? EN_POS_OF_NEG : EN_NEG_OF_POS));
                break;
        }
        s.append(r.nextInt(3) == 0 ? "!" : ".");
        if (r.nextBoolean()) {
            s.append(' ').append(pick(r, pos ? EN_POS_END : EN_NEG_END));
        }
        String t = s.toString();
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }
}
