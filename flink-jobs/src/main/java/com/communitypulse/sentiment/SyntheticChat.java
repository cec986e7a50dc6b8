package com.communitypulse.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Group-chat lines the project writes itself, labelled actionable or not, for training the
 * actionable-complaint model ({@link ActionableModel}) next to the development chat set. The
 * development set alone is ~930 lines about a few products; a model fitted to it learns those
 * products. These templates spread each category's complaint senses (not arrived, broken, fake, a
 * scam pushed or reported, an insult at a person, a refund refused, support silent, a double charge)
 * and the senses a moderator does not act on (questions asked before anything went wrong, logistics
 * chatter, thanks and praise, resolved problems, hypotheticals, mild dissatisfaction, complaints about
 * the weather or traffic, jokes about one's own spending, discussions of and warnings about scams,
 * category words in their neutral use) over many products, so the model learns the predicates, not
 * the products.
 *
 * <p>Generated, not curated: every line is a template whose {@code {a|b|c}} groups are filled with a
 * seeded {@link Random}; {@code {P}} is a product and {@code {N}} a small number. The templates and
 * word lists are general vocabulary written for this class (sentiment README, "Actionable model"),
 * not copied from any evaluation set.
 */
final class SyntheticChat {

    private SyntheticChat() {}

    private static final String[] ZH_PRODUCT = {"奶粉", "纸尿裤", "面膜", "猫粮", "狗粮", "牛排", "草莓", "鸡蛋", "洗发水", "口红",
        "耳机", "充电宝", "空气炸锅", "床单", "羽绒服", "大米", "车厘子", "榴莲", "湿巾", "精华液", "防晒霜", "婴儿车", "玩具",
        "保温杯", "拖鞋", "水果", "海鲜", "牛奶", "面包", "酸奶", "茶叶", "蜂蜜", "洗衣液", "猫砂", "奶瓶", "电动牙刷", "吹风机",
        "粽子", "月饼", "坚果", "香水", "眼霜", "冻品", "虾", "大闸蟹", "橙子", "芒果", "米粉", "辅食", "保健品"};
    private static final String[] EN_PRODUCT = {"grinder", "kettle", "serum", "moisturizer", "keyboard", "keycaps", "running shoes",
        "jacket", "stroller", "car seat", "candle", "plant", "planter", "coffee beans", "espresso machine", "sunscreen",
        "headphones", "backpack", "tent", "water bottle", "yoga mat", "blender", "toner", "cleanser", "mouse", "monitor stand",
        "hiking boots", "diffuser", "pot", "scale", "dripper", "cable", "charger", "lamp", "mug", "hoodie", "socks", "bag",
        "face mask", "shampoo"};

    private static final String[] ZH_ACTIONABLE = {
        // delivery
        "{我的|我家的|我们家的|我买的}{P}{都{N}天了|等了一个多星期|下单半个月了|}{还没到|还没收到|一直没发货|还没发出来}{，怎么回事|，谁管管|？？|，急死了|！|}",
        "{快递|物流|包裹}{显示已签收|说送到了}{但是|可是|，}{我根本没收到|家里没有|门口也没有|自提点也找不到}{，|。}{怎么办|@团长|谁拿走了|}",
        "{收到的|今天到的}{P}{少了{N}件|发错了|不是我买的那个|盒子是空的|被压烂了|全碎了|漏了一箱|都化了|已经臭了}{，|！|}{太过分了|怎么搞的|要求补发|}",
        "{物流|快递}{{N}天没更新了|一直停在中转站|卡在半路不动了}{，我的{P}|，}{还能不能到|到底去哪了|}",
        "{快递员|送货的}{把{P}直接扔门口|态度特别差|不送上楼还骂人|让我自己去拿还凶我}{，|！}{必须投诉|太气人了|}",
        // quality
        "{刚收到的|昨天到的|上周买的|这批}{P}{坏了|用了{N}天就坏了|有股怪味|发霉了|已经过期了|漏液|充不进电|开不了机|一股馊味|里面有虫子|有头发|是烂的}{，|！|。}{太恶心了|怎么回事|给个说法|}",
        "{孩子|宝宝|我家猫|我家狗|我}{吃了|用了}{这个|群里买的|团的}{P}{之后拉肚子了|后起了一身疹子|过敏了|吐了|脸红肿了}{，|！}{必须给个说法|吓死我了|怎么处理|}",
        "{P}{电池鼓包了|充电的时候冒烟了|插上就短路了|烫得不能碰|零件掉出来孩子差点吞下去}{，|！}{太危险了|吓死了|}",
        // counterfeit
        "{群里买的|这次团的|收到的}{P}{是假货|是高仿|是假的|和专柜的完全不一样|防伪码查不到|批号是假的}{，|！|}{你们卖假货|退钱|太坑了|}",
        "{这个|这家的|你们的}{P}{根本不是正品|是仿冒的|是山寨货}{，|！}{包装字都印错了|和官网对不上|}",
        // fraud
        "{加我微信|私聊我|加V}{，|}{内部价|低价代购|原价{N}00现在只要{N}0|免费领}{P}{，|}{名额有限|先到先得|}",
        "{刷单兼职|在家兼职日赚{N}00|投资理财稳赚}{，|}{有意私聊|加我V|点链接报名}",
        "{有人|刚刚有个人|一个陌生号}{冒充客服|冒充团长|冒充群主}{私聊我|加我}{让我转账|要我验证码|骗了我{N}百块|让我点链接退款}{，大家小心|！|}",
        "{我被|我妈被|我朋友在群里被}{骗了|骗走了{N}百块}{，|}{就是群里那个人|那个说代购的|那个说退款的客服}",
        // abuse
        "{你|你们|楼上|那个谁}{是不是有病|脑子进水了吧|滚出去|闭嘴吧|真是个垃圾|是傻子吗|再说一句试试}{，|！|}{烦死了|}",
        "{我知道你住哪|信不信我去找你|把你电话发出来|你等着}{，|！}{别让我看到你|}",
        // refund
        "{申请退款|退款|退货退款}{{N}天了还没到账|被拒绝了|一直不给退|只给退一半|说只能换成优惠券|一直在审核}{，|！}{凭什么|太过分了|到底退不退|}",
        "{商家|客服|团长}{不给退款|拒绝退货|说过了时间不能退|让我自己承担运费才能退}{，|}{可是东西是坏的|明明是质量问题|}",
        // service
        "{客服|团长|群主|售后}{一直不回消息|已读不回|{N}天了都没人理|态度很差|把我的投诉删了|互相踢皮球|说完就把我拉黑了}{，|！}{什么服务|太差劲了|}",
        // complaint (billing etc.)
        "{付款|下单}{的时候}{扣了两次钱|被多扣了{N}块|价格和下单时不一样}{，|！}{退一下|怎么回事|}",
        "{我的积分|账户余额|优惠券}{不见了|被清零了|莫名其妙少了}{，|}{没人解释|找谁|}",
        "{说好的赠品|承诺的赠品|买一送一的那份}{没给|没收到|没发}{，|}{骗人的吧|什么意思|}",
        "{没下单|没买东西}{却被扣款了|账户却被扣了{N}0块}{，|！}{怎么回事|}",
        // sarcasm
        "{太棒了|真好|厉害了}{，|}{第{N}次|又一次}{发错货了|没收到货|收到坏的}{👏|🙂|}",
    };

    private static final String[] ZH_NOT = {
        // question
        "{请问|问一下|想问下}{P}{什么时候到|什么时候发货|怎么退款|能退吗|还有货吗|多少钱|是正品吗|坏了怎么处理|保质期多久|怎么用}{？|呀？|}",
        "{如果|万一|要是}{收到坏的|没收到|发错了|不合适}{怎么办|能退吗|找谁}{？|，以防万一先问问}",
        // logistics chatter
        "{快递|包裹|物流|今天的{P}}{到了|已经到自提点了|下午到|明天到}{，|}{谢谢团长|大家记得去拿|辛苦了|}",
        "{{P}|货}{已经发货了|今天统一发|明天送到}{，|}{大家注意查收|请耐心等待|}",
        "{物流很快|快递挺快|送货很及时}{，|}{昨天下单今天就到了|}",
        // thanks / praise
        "{退款很快|退款已经到账|客服很耐心|售后处理很快|团长很负责}{，|}{谢谢|感谢|点赞|}",
        "{P}{太好用了|好吃到犯规|香死了|绝了|好吃哭了|爱了爱了|回购了|质量很好|比超市便宜}{！|~|}",
        "{辣得要死|甜到心里|好吃到停不下来|好用到哭}{，|}{还要再买}",
        // resolved
        "{之前说没收到的那单|上次那个坏的|那个少件的}{已经补发了|找到了，被邻居代收了|客服已经处理好了|退款到账了}{，|}{虚惊一场|谢谢大家|}",
        "{是系统延迟吗|可能是物流慢了}{，|}{等一下看看|再等两天}",
        // mild dissatisfaction
        "{P}{有点贵|味道一般|颜色比图片深一点|稍微小了点|包装普通}{，|}{不过还行|能接受|凑合|}",
        "{希望下次|建议}{包装再好一点|发货快一点|多一些口味}",
        // external complaint
        "{今天堵车|外面下大雨|房东又涨房租|老板又加班}{，|}{烦死了|太难了|无语}",
        // jokes / self-deprecation
        "{又剁手了|钱包哭了|这个月又超支了|买买买停不下来}{哈哈|😂|}",
        "{我的钱包|我的体重}{被这个团骗了|又被坑了}{哈哈哈|😂}",
        // scam discussion / notice
        "{最近|网上|朋友圈}{很多骗子|骗局很多|冒充客服的骗子很多}{，|}{大家注意|小心|别点陌生链接|不要转账}",
        "{提醒一下|群公告}{：|，}{我们不会私聊要钱|官方不会私信让你转账|不要相信陌生链接}",
        "{如何识别|怎么辨别}{假货|骗子|高仿}{？|，}{有经验的分享一下|}",
        // neutral category words
        "{假期快乐|放假了|周末愉快}{，|}{大家|}",
        "{快递员小哥|团长}{辛苦了|真好}",
        "{P}{降价了|上新了|有活动}{，|}{需要的接龙|}",
        "{早上好|晚安|哈哈哈|收到|好的|+1|接龙}",
    };

    private static final String[] EN_ACTIONABLE = {
        "{my|our}{ order| package| P}{ still hasn't arrived| never arrived| hasn't shipped| is still not here}{ after N days| after two weeks|}{, what is going on| ??|!|}",
        "{tracking says|it says} delivered {but|and} {nothing is here|I never got it|it's not at my door}{. who do I contact|!!|}",
        "{got my P|my P arrived|the P came}{ and it's broken| crushed| with a piece missing| but it's the wrong one| and the box was empty| melted| leaking}{. not ok|!|, need a replacement|}",
        "{the courier|the driver}{ threw my package| was rude to me| left it in the rain}{!|. unacceptable|}",
        "{my P|the P I bought here}{ stopped working after N days| broke after a week| smells like mold| is expired| won't charge| won't turn on| is moldy| has bugs in it}{. really annoyed|!|, what now|}",
        "{my kid|my baby|my dog|I}{ got sick| broke out in a rash| had a reaction| threw up}{ after using| after eating}{ the P| this}{!|. need answers|}",
        "{the P|this P}{ caught fire| started smoking| overheated and melted| battery is swelling| is a choking hazard}{!|. dangerous|}",
        "{the P I got here|this P}{ is fake| is a counterfeit| is a knockoff| is not genuine| fails the serial check}{!|. you sell fakes|, refund me|}",
        "{DM me|message me|add me on whatsapp}{ for| to get}{ insider prices| free P| a giveaway prize| easy money from home}{!|, limited spots|}",
        "{someone|a guy}{ pretending to be support| posing as an admin| impersonating the mods}{ DMed me| messaged me}{ asking for my password| and took my money| asking for payment}{. watch out|!|}",
        "{I got scammed|my friend got scammed|I lost $N0}{ by someone in this group| through a link posted here}",
        "{you are| you're| they are}{ an idiot| pathetic| a moron| trash}{, get out| shut up|!|}",
        "{I know where you live|I'll find you|watch your back}{!|.|}",
        "{my refund|the refund}{ was denied| is N weeks overdue| never came| was only partial| got turned into store credit}{!|. why|, this is ridiculous|}",
        "{they| the seller| support}{ refused my refund| won't refund me| said no refund even though it arrived broken}{!|.|}",
        "{support|customer service|the admins}{ ignored my emails for N days| never replied| deleted my complaint| keep passing me around| were rude to me}{!|. terrible|}",
        "{I was charged twice|I got charged $N0 extra|you charged the wrong price}{ for my order|}{!|. fix it|}",
        "{my points|my credit|my account balance}{ disappeared| got wiped}{!|. nobody explains|}",
        "{the free gift|the promised bonus item}{ was missing| never came}{ from my order|}{.|!}",
        "{great|wonderful|love it}{, third time| , again}{ they sent the wrong item| my order is missing}{ 👏| 🙃|}",
    };

    private static final String[] EN_NOT = {
        "{does anyone know|quick question|hey}{,|} {when the P ships|how refunds work|if the P is genuine|what happens if it arrives broken|how long delivery takes|if the P is back in stock}{?|}",
        "{if|in case}{ it arrives broken| my order gets lost}{, what do I do| can I return it}{?|}",
        "{my P|the package|my order}{ arrived| just arrived| came today| is out for delivery}{, thanks!|!|, see you at pickup|}",
        "{shipping was fast|delivery was quick|refund came through fast|support was super helpful}{, thanks|!| 🙏|}",
        "{love|loving|obsessed with} {my new P|this P|the P}{!| ❤️|, so good|}",
        "{the P|this P}{ is killer| is insanely good| slaps| is sick}{!|}",
        "{the missing item|my late order|the broken one}{ showed up| was replaced| got sorted}{, all good now|, thanks team|}",
        "{my bad|my fault|never mind}{, it was in my spam folder|, my neighbour had it|}",
        "{the P|this P}{ is a bit pricey| is fine I guess| is meh| could be better}{, not a big deal|}",
        "{traffic|the weather|my landlord}{ is awful today| is the worst}{ lol|}",
        "{my wallet|my bank account}{ is crying| hates me}{ lol| 😂|}",
        "{scams are everywhere lately|watch out for phishing links in general|how do you spot counterfeits}{, stay safe|?|}",
        "{reminder|psa}{:|} {we never DM you for payment|admins will never ask for your password}",
        "{late afternoon works|I'll be late to the meetup|sorry I'm late to the thread}{ for me|}",
        "{fake it till you make it|that movie was a scam lol|trolling is such a problem on the internet in general}",
        "{good morning|gm|thanks all|lol|same|+1|nice}",
        "{new drop|restock|sale}{ on the P| tomorrow}{!|, don't miss it|}",
    };

    /** Rows for {@code n} Chinese and {@code n / 2} English lines, about a third actionable; deterministic for a seed. */
    static List<LabelledData.Example> generate(int n, long seed) {
        Random r = new Random(seed ^ 0x43484154L);
        List<LabelledData.Example> out = new ArrayList<>(n + n / 2);
        add(out, r, n, ZH_ACTIONABLE, ZH_NOT, ZH_PRODUCT);
        add(out, r, n / 2, EN_ACTIONABLE, EN_NOT, EN_PRODUCT);
        return out;
    }

    static int size(int n) {
        return n + n / 2;
    }

    private static void add(List<LabelledData.Example> out, Random r, int n, String[] act, String[] not, String[] products) {
        for (int i = 0; i < n; i++) {
            boolean actionable = i % 3 == 0;
            String[] pool = actionable ? act : not;
            out.add(new LabelledData.Example(expand(pool[r.nextInt(pool.length)], r, products), actionable));
        }
    }

    /** Fills {@code {a|b}} groups, {@code P} (a product) and {@code N} (2 to 9) inside and outside them. */
    static String expand(String template, Random r, String[] products) {
        StringBuilder sb = new StringBuilder(template.length() + 16);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int depth = 1;
                int j = i + 1;
                while (j < template.length() && depth > 0) {
                    char d = template.charAt(j);
                    if (d == '{') depth++;
                    else if (d == '}') depth--;
                    j++;
                }
                List<String> alts = split(template.substring(i + 1, j - 1));
                sb.append(expand(alts.get(r.nextInt(alts.size())), r, products));
                i = j;
            } else if (c == 'P' && isSlot(template, i)) {
                sb.append(products[r.nextInt(products.length)]);
                i++;
            } else if (c == 'N' && isSlot(template, i)) {
                sb.append(2 + r.nextInt(8));
                i++;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** A capital P or N not inside a Latin word ("PSA" is text, " P " and "{P}" are slots). */
    private static boolean isSlot(String t, int i) {
        boolean before = i == 0 || !Character.isLetter(t.charAt(i - 1)) || t.charAt(i - 1) > 0x2E80;
        boolean after = i + 1 >= t.length() || !Character.isLetter(t.charAt(i + 1)) || t.charAt(i + 1) > 0x2E80;
        return before && after;
    }

    /** Splits on top-level '|'. */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == '|' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
