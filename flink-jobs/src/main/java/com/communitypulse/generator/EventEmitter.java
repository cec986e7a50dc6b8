package com.communitypulse.generator;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.EventType;
import com.communitypulse.events.MemberRole;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Turns what an actor does (speak, react, share, click, order) into {@link PulseEvent}s, keeps the
 * member and community memory those events depend on, and counts every event into the ground truth.
 *
 * <p>One place builds events so that all actors agree on the event contract (docs/CONTRACT.md):
 * reply targets, staff roles, attribution of orders, refunds, and the per-member history (last
 * click, active days, paid orders) the planted truth is read from at the end.
 */
final class EventEmitter {
    static final String CURRENCY = "CNY";

    private final SplittableRandom rnd;
    private final SimTime time;
    private final Population population;
    private final Ids ids;
    private final GroundTruth truth;
    private final ActorSchedule schedule;
    private final Texts texts = Texts.get();
    private final ArrayDeque<PulseEvent> ready = new ArrayDeque<>();

    EventEmitter(SplittableRandom rnd, SimTime time, Population population, Ids ids, GroundTruth truth, ActorSchedule schedule) {
        this.rnd = rnd;
        this.time = time;
        this.population = population;
        this.ids = ids;
        this.truth = truth;
        this.schedule = schedule;
    }

    /** The oldest event emitted and not yet taken, or null. */
    PulseEvent poll() {
        return ready.poll();
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    String nextEventId() {
        return ids.nextEventId();
    }

    /** Records {@code e} as emitted by {@code m} (null: nobody's) and queues it for the generator. */
    void emit(PulseEvent e, Member m) {
        long ts = e.getTs();
        if (m != null) {
            if (m.firstTs < 0) m.firstTs = ts;
            m.lastTs = ts;
            if (e.getKind().isActivity()) {
                int d = time.localDay(ts);
                if (d != m.lastActiveDay) {
                    m.lastActiveDay = d;
                    if (m.activeDays != null) m.activeDays.set(d);
                }
            }
            if (e.getKind() == EventKind.PAID) m.paidOrders++;
            if (e.getCommunityId() != null && e.getShareId() != null && e.getType() == EventType.CLICK) {
                m.lastClickTs = ts;
                m.lastShareId = e.getShareId();
            }
        }
        String topic = e.getType().defaultTopic();
        truth.countKind(topic, e.getKind().wireName());
        if (e.getKind() == EventKind.PAID) truth.addPaid(e.getAmountMinor());
        if (e.getKind() == EventKind.REFUNDED) truth.addRefunded(e.getAmountMinor());
        ready.add(e);
    }

    void join(Member m, long ts) {
        emit(PulseEvent.message(nextEventId(), population.communityOf(m).id, m.id, ts, EventKind.JOIN, null), m);
    }

    void leave(Member m, long ts) {
        emit(PulseEvent.message(nextEventId(), population.communityOf(m).id, m.id, ts, EventKind.LEAVE, null), m);
    }

    /**
     * A post, comment or reply; {@code sentiment} -1, 0 or 1 picks the text, {@code category} (-1:
     * any) the moderation category of a negative one. A reply without anyone to reply to is a post.
     */
    void speak(Member m, long ts, EventKind kind, int sentiment, int category) {
        Community c = population.communityOf(m);
        String text;
        if (m.arch == Archetype.STAFF) {
            // Staff speak in their own voice; they never start a negative thread they would reply to.
            sentiment = 0;
            text = texts.staff(m.lang, rnd);
        } else if (sentiment < 0) {
            text = category >= 0 ? texts.negative(m.lang, category, rnd) : texts.negative(m.lang, rnd);
        } else if (sentiment > 0) {
            text = texts.positive(m.lang, rnd);
        } else {
            text = texts.neutral(m.lang, rnd);
        }
        String replyTo = null;
        if (kind == EventKind.REPLY) {
            replyTo = replyTarget(m, c, ts);
            if (replyTo == null) kind = EventKind.POST;
        }
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, kind, text).withLang(Texts.LANGS[m.lang]);
        if (replyTo != null) e.withReplyTo(replyTo);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
        c.spoke(m.idx);
        if (sentiment < 0) {
            c.lastNegAuthor = m.idx;
            c.lastNegTs = ts;
        }
    }

    private String replyTarget(Member m, Community c, long ts) {
        Member[] members = population.members;
        if (m.arch == Archetype.STAFF && c.lastNegAuthor >= 0 && ts - c.lastNegTs < 6 * SimTime.HOUR && rnd.nextDouble() < 0.7) {
            return members[c.lastNegAuthor].id;
        }
        // Opinion leaders attract replies and reactions (top contributors, CONTRACT §4).
        if (c.leaders.length > 0 && rnd.nextDouble() < 0.4) {
            int t = c.leaders[rnd.nextInt(c.leaders.length)];
            if (t != m.idx) return members[t].id;
        }
        if (c.recentCount == 0) return null;
        int t = c.recent[rnd.nextInt(c.recentCount)];
        return t == m.idx ? null : members[t].id;
    }

    /** A reaction to someone who spoke lately; with nobody to react to, a neutral post instead. */
    void react(Member m, long ts) {
        Community c = population.communityOf(m);
        String target = replyTarget(m, c, ts);
        if (target == null) {
            speak(m, ts, EventKind.POST, 0, -1);
            return;
        }
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, EventKind.REACTION, null).withReplyTo(target);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
    }

    void share(Member m, long ts, String shareId, String itemId) {
        Community c = population.communityOf(m);
        PulseEvent e = PulseEvent.message(nextEventId(), c.id, m.id, ts, EventKind.SHARE, null);
        if (m.arch == Archetype.STAFF) e.withRole(MemberRole.STAFF);
        emit(e, m);
        c.addShare(shareId, itemId);
    }

    void communityClick(Member m, long ts, EventKind kind, String shareId, String itemId) {
        emit(PulseEvent.click(nextEventId(), m.id, ts, kind, itemId, population.communityOf(m).id, shareId), m);
    }

    void organicClick(Member m, long ts) {
        emit(PulseEvent.click(nextEventId(), m.id, ts, Distributions.clickKind(rnd), Distributions.item(rnd), null, null), m);
    }

    /** A paid order with attribution chosen from the member's click history (CONTRACT §4 cases). */
    void order(Member m, long ts) {
        String community = population.communityOf(m).id;
        long since = ts - m.lastClickTs;
        String cid = null, sid = null, how;
        if (m.lastShareId != null && since <= 23 * SimTime.HOUR) {
            double u = rnd.nextDouble();
            if (u < 0.4) {
                cid = community;
                sid = m.lastShareId;
                how = "direct";
            } else if (u < 0.7) {
                sid = m.lastShareId;
                how = "share_id";
            } else {
                how = "last_click";
            }
        } else if (since > 25 * SimTime.HOUR && rnd.nextDouble() < 0.7) {
            how = "unattributed";
        } else {
            // Near the 24 h edge, stay unambiguous: the order names its community.
            cid = community;
            how = "direct";
        }
        placeOrder(m, ts, cid, sid, how);
    }

    /** A paid order attributed as {@code how} says (counted in the truth); sometimes refunded later by a {@link RefundActor}. */
    void placeOrder(Member m, long ts, String cid, String sid, String how) {
        long amount = Distributions.amount(rnd);
        String orderId = ids.newOrderId();
        emit(PulseEvent.order(nextEventId(), orderId, m.id, ts, EventKind.PAID, amount, CURRENCY, cid, sid), m);
        truth.addAttribution(how);
        if (!m.planted() && rnd.nextDouble() < 0.06) {
            long at = ts + SimTime.HOUR + rnd.nextLong(47 * SimTime.HOUR);
            // A refund is an order event of the member: never after they leave.
            if (at < time.end && at < m.endTs) {
                schedule.add(new RefundActor(schedule, this, m, at, orderId, amount, cid, sid));
            }
        }
    }

    /**
     * A fresh, valid event of a stable member at {@code ts}, drawn from {@code r} (the fault
     * injector's stream, so late events do not shift the good ones); never emitted or counted here.
     */
    PulseEvent lateEvent(SplittableRandom r, int[] stableMembers, long ts, String eventId, String orderId) {
        Member[] members = population.members;
        Member m = members[stableMembers[r.nextInt(stableMembers.length)]];
        Community c = population.communityOf(m);
        double u = r.nextDouble();
        if (u < 0.7) {
            boolean reaction = r.nextDouble() < 0.3;
            if (reaction) {
                return PulseEvent.message(eventId, c.id, m.id, ts, EventKind.REACTION, null).withReplyTo(members[c.members[0]].id);
            }
            String text = r.nextDouble() < 0.5 ? texts.neutral(m.lang, r) : texts.positive(m.lang, r);
            return PulseEvent.message(eventId, c.id, m.id, ts, EventKind.COMMENT, text).withLang(Texts.LANGS[m.lang]);
        } else if (u < 0.95) {
            return PulseEvent.click(eventId, m.id, ts, Distributions.clickKind(r), Distributions.item(r), null, null);
        }
        return PulseEvent.order(eventId, orderId, m.id, ts, EventKind.PAID, Distributions.amount(r), CURRENCY, null, null);
    }
}
