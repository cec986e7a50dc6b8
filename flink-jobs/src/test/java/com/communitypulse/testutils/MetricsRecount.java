package com.communitypulse.testutils;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.sentiment.SentimentLabel;
import com.communitypulse.sentiment.SentimentScorer;
import com.communitypulse.sentiment.SentimentScorers;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An independent batch recount of CONTRACT §4 over the JSON-lines input of a run, written without the
 * job's functions: plain loops, maps and sets over all events at once. Tests compare the job's
 * final outputs with it.
 *
 * <p>Shared with the job: only the contract parser (to know which lines are valid events) and the
 * sentiment scorer (to know each message's label). De-duplication keeps the first copy of an
 * event id; events the generator planted as late are excluded (tests check separately that
 * exactly those reached {@code pulse.late}).
 */
public final class MetricsRecount {
    static final long DAY = 86_400_000L;
    static final String[] COUNTS = {"messages", "posts", "comments", "replies", "reactions", "shares", "joins", "leaves",
            "views", "clicks", "add_to_carts", "orders", "refunds", "gmv_minor", "sentiment_positive", "sentiment_neutral", "sentiment_negative"};

    /** An accepted, de-duplicated, attributed event. */
    record Ev(String id, String type, String kind, String community, String user, long ts, String shareId, String orderId,
              long amount, int sentiment, String replyTo) {}

    private final List<Ev> events = new ArrayList<>();
    private final long windowMs;
    private final long dayOffsetMs;
    private final long emitMs;
    private final long memberHorizonMs;

    /** @param dayOffsetMs the zone offset in ms (Asia/Shanghai: 8 h) */
    public MetricsRecount(Path dir, Set<String> lateIds, long windowMs, long dayOffsetMs, long emitMs, long attributionMs, long memberHorizonMs)
            throws IOException {
        this.windowMs = windowMs;
        this.dayOffsetMs = dayOffsetMs;
        this.emitMs = emitMs;
        this.memberHorizonMs = memberHorizonMs;
        EventParser parser = new EventParser();
        SentimentScorer scorer = SentimentScorers.create(null);
        Set<String> seen = new HashSet<>();
        List<PulseEvent> raw = new ArrayList<>();
        for (EventType t : EventType.values()) {
            Path f = dir.resolve(t.defaultTopic() + ".jsonl");
            if (!Files.exists(f)) continue;
            for (byte[] line : lines(f)) {
                ParsedRecord r = parser.parse(t, line, t.defaultTopic(), 0, 0);
                if (!r.isEvent() || lateIds.contains(r.getEvent().getEventId()) || !seen.add(r.getEvent().getEventId())) continue;
                raw.add(r.getEvent());
            }
        }
        attribute(raw, attributionMs, scorer);
    }

    private static List<byte[]> lines(Path f) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] all = Files.readAllBytes(f);
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start) out.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** CONTRACT §4 attribution: community on the order, else a share id clicked before, else the latest community click in the window. */
    private void attribute(List<PulseEvent> raw, long windowMsAttr, SentimentScorer scorer) {
        Map<String, List<PulseEvent>> byUser = new HashMap<>();
        for (PulseEvent e : raw) {
            byUser.computeIfAbsent(e.getUserId(), u -> new ArrayList<>()).add(e);
        }
        for (PulseEvent e : raw) {
            if (e.getType() == EventType.MESSAGE) {
                int s = 99;
                if (e.getKind().isSpeaking()) {
                    SentimentLabel l = scorer.score(e.getText(), e.getLang()).label();
                    s = l == SentimentLabel.POSITIVE ? 1 : l == SentimentLabel.NEGATIVE ? -1 : 0;
                }
                events.add(new Ev(e.getEventId(), "message", e.getKind().wireName(), e.getCommunityId(), e.getUserId(), e.getTs(), null, null, 0, s,
                        e.getReplyToUser()));
            } else if (e.getType() == EventType.CLICK) {
                events.add(new Ev(e.getEventId(), "click", e.getKind().wireName(), e.getCommunityId(), e.getUserId(), e.getTs(), e.getShareId(), null, 0, 99, null));
            }
        }
        for (List<PulseEvent> list : byUser.values()) {
            List<PulseEvent> clicks = new ArrayList<>();
            List<PulseEvent> orders = new ArrayList<>();
            for (PulseEvent e : list) {
                if (e.getType() == EventType.CLICK && e.getCommunityId() != null) clicks.add(e);
                if (e.getType() == EventType.ORDER) orders.add(e);
            }
            orders.sort(Comparator.comparingLong(PulseEvent::getTs).thenComparing(o -> o.getKind().wireName().equals("refunded"))
                    .thenComparing(PulseEvent::getEventId));
            Map<String, String> orderCommunity = new HashMap<>();
            for (PulseEvent o : orders) {
                String c = null;
                boolean refund = o.getKind().wireName().equals("refunded");
                if (refund && orderCommunity.containsKey(o.getOrderId())) {
                    c = orderCommunity.get(o.getOrderId());
                } else if (o.getCommunityId() != null) {
                    c = o.getCommunityId();
                } else {
                    PulseEvent firstShare = null;
                    PulseEvent latest = null;
                    for (PulseEvent k : clicks) {
                        if (k.getTs() > o.getTs()) continue;
                        if (o.getShareId() != null && o.getShareId().equals(k.getShareId())
                                && (firstShare == null || k.getTs() < firstShare.getTs())) firstShare = k;
                        if (k.getTs() >= o.getTs() - windowMsAttr && (latest == null || k.getTs() >= latest.getTs())) latest = k;
                    }
                    c = firstShare != null ? firstShare.getCommunityId() : latest != null ? latest.getCommunityId() : null;
                }
                if (!refund) orderCommunity.put(o.getOrderId(), c);
                events.add(new Ev(o.getEventId(), "order", o.getKind().wireName(), c, o.getUserId(), o.getTs(), o.getShareId(), o.getOrderId(),
                        o.getAmountMinor(), 99, null));
            }
        }
    }

    public int size() {
        return events.size();
    }

    static boolean isActivity(Ev e) {
        return e.type.equals("click") || (e.type.equals("message") && !e.kind.equals("join") && !e.kind.equals("leave"));
    }

    static boolean isSpeaking(Ev e) {
        return e.type.equals("message") && (e.kind.equals("post") || e.kind.equals("comment") || e.kind.equals("reply"));
    }

    private long start(long ts, long size, long offset) {
        return ts - Math.floorMod(ts - offset, size);
    }

    /** Expected window metrics, keyed {@code community|window|start}, for the base window, hour and day. */
    public Map<String, Map<String, Double>> windows(String baseIso) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>[]> distinct = new HashMap<>();
        String[] iso = {baseIso, "PT1H", "P1D"};
        long[] size = {windowMs, 3_600_000L, DAY};
        long[] offset = {Math.floorMod(-dayOffsetMs, windowMs), Math.floorMod(-dayOffsetMs, 3_600_000L), Math.floorMod(-dayOffsetMs, DAY)};
        for (Ev e : events) {
            for (String c : e.community == null ? new String[] {"*"} : new String[] {e.community, "*"}) {
                for (int g = 0; g < 3; g++) {
                    String key = c + "|" + iso[g] + "|" + start(e.ts, size[g], offset[g]);
                    long[] k = counts.computeIfAbsent(key, x -> new long[COUNTS.length]);
                    @SuppressWarnings("unchecked")
                    Set<String>[] d = distinct.computeIfAbsent(key, x -> new Set[] {new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>()});
                    switch (e.kind) {
                        case "post": k[0]++; k[1]++; break;
                        case "comment": k[0]++; k[2]++; break;
                        case "reply": k[0]++; k[3]++; break;
                        case "reaction": k[4]++; break;
                        case "share": k[5]++; break;
                        case "join": k[6]++; break;
                        case "leave": k[7]++; break;
                        case "view": k[8]++; break;
                        case "click": k[9]++; break;
                        case "add_to_cart": k[10]++; break;
                        case "paid": k[11]++; k[13] += e.amount; break;
                        case "refunded": k[12]++; k[13] -= e.amount; break;
                        default: throw new IllegalStateException(e.kind);
                    }
                    if (e.sentiment == 1) k[14]++;
                    if (e.sentiment == 0) k[15]++;
                    if (e.sentiment == -1) k[16]++;
                    if (isActivity(e)) d[0].add(e.user);
                    if (isSpeaking(e)) d[1].add(e.user);
                    if (e.kind.equals("click")) d[2].add(e.user);
                    if (e.kind.equals("paid")) d[3].add(e.user);
                }
            }
        }
        Map<String, Map<String, Double>> out = new TreeMap<>();
        counts.forEach((key, k) -> {
            Map<String, Double> m = new TreeMap<>();
            for (int i = 0; i < COUNTS.length; i++) m.put(COUNTS[i], (double) k[i]);
            Set<String>[] d = distinct.get(key);
            m.put("active_members", (double) d[0].size());
            m.put("speaking_members", (double) d[1].size());
            m.put("clickers", (double) d[2].size());
            m.put("buyers", (double) d[3].size());
            long scored = k[14] + k[15] + k[16];
            if (scored > 0) m.put("negative_ratio", round((double) k[16] / scored));
            if (d[0].size() > 0) m.put("conversion_rate", round((double) d[3].size() / d[0].size()));
            if (k[9] > 0) m.put("click_to_order", round((double) k[11] / k[9]));
            out.put(key, m);
        });
        return out;
    }

    private long ceil(long t) {
        return Math.floorDiv(t + emitMs - 1, emitMs) * emitMs;
    }

    /** Events by community, plus all of them under "*", in file order. */
    private Map<String, List<Ev>> byCommunity;

    private Map<String, List<Ev>> byCommunity() {
        if (byCommunity == null) {
            byCommunity = new HashMap<>();
            for (Ev e : events) {
                byCommunity.computeIfAbsent("*", x -> new ArrayList<>()).add(e);
                if (e.community != null) byCommunity.computeIfAbsent(e.community, x -> new ArrayList<>()).add(e);
            }
        }
        return byCommunity;
    }

    /** Rolling gauges of {@code community} ("*" = global) as of boundary {@code b}: the definition, one boundary at a time. */
    public Map<String, Double> rolling(String community, long b) {
        Set<String> dau = new HashSet<>(), wau = new HashSet<>(), mau = new HashSet<>(), spk = new HashSet<>();
        Map<String, Integer> paid30 = new HashMap<>();
        for (Ev e : byCommunity().getOrDefault(community, List.of())) {
            if (e.kind.equals("paid") && e.ts > b - 30 * DAY && e.ts <= b) paid30.merge(e.user, 1, Integer::sum);
            if (!community.equals("*") && !community.equals(e.community)) continue;
            if (community.equals("*") && e.community == null && !isActivity(e)) continue;
            if (isActivity(e)) {
                if (e.ts > b - DAY && e.ts <= b) dau.add(e.user);
                if (e.ts > b - 7 * DAY && e.ts <= b) wau.add(e.user);
                if (e.ts > b - 30 * DAY && e.ts <= b) mau.add(e.user);
            }
            if (isSpeaking(e) && e.ts > b - DAY && e.ts <= b) spk.add(e.user);
        }
        long repeat = paid30.values().stream().filter(n -> n >= 2).count();
        return gauges(dau.size(), wau.size(), mau.size(), spk.size(), members(community, b), paid30.size(), repeat);
    }

    private static Map<String, Double> gauges(long dau, long wau, long mau, long spk, long members, long buyers, long repeat) {
        Map<String, Double> m = new TreeMap<>();
        m.put("dau", (double) dau);
        m.put("wau", (double) wau);
        m.put("mau", (double) mau);
        m.put("speaking_members_1d", (double) spk);
        m.put("members", (double) members);
        if (mau > 0) m.put("stickiness", round((double) dau / mau));
        if (members > 0) m.put("participation_rate", round((double) spk / members));
        m.put("buyers_30d", (double) buyers);
        m.put("repeat_buyers_30d", (double) repeat);
        if (buyers > 0) m.put("repurchase_rate", round((double) repeat / buyers));
        return m;
    }

    /**
     * The same gauges as {@link #rolling} at every boundary in {@code asOfs} (keyed by boundary),
     * in one sweep over the community's events in time order. Checking every emitted rolling record
     * against {@link #rolling} directly costs a pass over all events and memberships per record,
     * quadratic in the run's size; the sweep is linear. Callers should check a sample against
     * {@link #rolling}, which stays the readable definition.
     */
    public Map<Long, Map<String, Double>> rollingAt(String community, Collection<Long> asOfs) {
        List<Ev> own = byCommunity().getOrDefault(community, List.of());
        Sliding dau = new Sliding(DAY), wau = new Sliding(7 * DAY), mau = new Sliding(30 * DAY), spk = new Sliding(DAY);
        Sliding paid = new Sliding(30 * DAY);
        for (Ev e : own) {
            // Same selection as rolling(): paid orders of the community's list (for "*" also the
            // unattributed ones), activity and speech of the community (for "*" of anyone).
            if (e.kind.equals("paid")) paid.events.add(e);
            if (!community.equals("*") && !community.equals(e.community)) continue;
            if (isActivity(e)) {
                dau.events.add(e);
                wau.events.add(e);
                mau.events.add(e);
            }
            if (isSpeaking(e)) spk.events.add(e);
        }
        for (Sliding s : List.of(dau, wau, mau, spk, paid)) s.events.sort(Comparator.comparingLong(Ev::ts));
        long[][] steps = membershipSteps().getOrDefault(community, new long[][] {{}, {}});
        int step = 0;
        long members = 0;
        Map<Long, Map<String, Double>> out = new TreeMap<>();
        for (long b : new TreeSet<>(asOfs)) {
            for (Sliding s : List.of(dau, wau, mau, spk, paid)) s.advance(b);
            while (step < steps[0].length && steps[0][step] <= b) members += steps[1][step++];
            out.put(b, gauges(dau.distinct(), wau.distinct(), mau.distinct(), spk.distinct(), members, paid.distinct(), paid.repeat));
        }
        return out;
    }

    /** Distinct members with an event in {@code (b − period, b]} as {@code b} only grows. */
    private static final class Sliding {
        final long period;
        final List<Ev> events = new ArrayList<>();
        final Map<String, Integer> count = new HashMap<>();
        int entered;
        int left;
        /** Members with at least two events in the window. */
        long repeat;

        Sliding(long period) {
            this.period = period;
        }

        void advance(long b) {
            while (entered < events.size() && events.get(entered).ts <= b) {
                if (count.merge(events.get(entered++).user, 1, Integer::sum) == 2) repeat++;
            }
            while (left < entered && events.get(left).ts <= b - period) {
                String u = events.get(left++).user;
                int n = count.merge(u, -1, Integer::sum);
                if (n == 1) repeat--;
                if (n == 0) count.remove(u);
            }
        }

        long distinct() {
            return count.size();
        }
    }

    /**
     * Memberships at {@code b}: per community and member, join or first message activity (+1) and
     * leave (-1), in file order, effective at the next emission boundary; a membership lapses
     * {@code memberHorizon} after the member's last event in the community.
     */
    private Map<String, Membership> perMember;

    /** One member's events in one community, in file order, reduced to what membership depends on. */
    private final class Membership {
        final long[] ts;
        final long[] effective;
        /** Per event: 0 no change (not a message), 1 member (join or other message), 2 not a member (leave). */
        final byte[] change;
        final long lastAll;

        Membership(List<Ev> list) {
            ts = new long[list.size()];
            effective = new long[list.size()];
            change = new byte[list.size()];
            long max = Long.MIN_VALUE;
            for (int i = 0; i < ts.length; i++) {
                Ev e = list.get(i);
                ts[i] = e.ts;
                effective[i] = ceil(e.ts);
                change[i] = (byte) (!e.type.equals("message") ? 0 : e.kind.equals("leave") ? 2 : 1);
                max = Math.max(max, e.ts);
            }
            lastAll = max;
        }

        boolean at(long b) {
            boolean member = false;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < ts.length; i++) {
                if (effective[i] > b) {
                    continue;
                }
                if (member && last != Long.MIN_VALUE && ceil(last + memberHorizonMs) <= effective[i] && ceil(last + memberHorizonMs) <= b) {
                    member = false;
                }
                if (change[i] != 0) member = change[i] == 1;
                last = Math.max(last, ts[i]);
            }
            if (member && ceil(lastAll + memberHorizonMs) <= b) member = false;
            return member;
        }
    }

    private Map<String, Membership> perMember() {
        if (perMember == null) {
            Map<String, List<Ev>> lists = new HashMap<>();
            for (Ev e : events) {
                if (e.community != null) lists.computeIfAbsent(e.community + "|" + e.user, x -> new ArrayList<>()).add(e);
            }
            perMember = new HashMap<>();
            lists.forEach((k, l) -> perMember.put(k, new Membership(l)));
        }
        return perMember;
    }

    private long members(String community, long b) {
        long n = 0;
        for (Map.Entry<String, Membership> en : perMember().entrySet()) {
            if (!community.equals("*") && !en.getKey().startsWith(community + "|")) continue;
            if (en.getValue().at(b)) n++;
        }
        return n;
    }

    /**
     * Per community (and "*"), the boundaries where the member count changes and by how much:
     * {@code {times, deltas}}, times ascending. {@link Membership#at} compares {@code b} only with
     * {@code ceil(ts)} and {@code ceil(ts + memberHorizon)} of the member's events, so it is
     * constant between consecutive such points: evaluating it there finds every change.
     */
    private Map<String, long[][]> membershipSteps;

    private Map<String, long[][]> membershipSteps() {
        if (membershipSteps != null) return membershipSteps;
        Map<String, TreeMap<Long, Long>> changes = new HashMap<>();
        for (Map.Entry<String, Membership> en : perMember().entrySet()) {
            String community = en.getKey().substring(0, en.getKey().indexOf('|'));
            TreeSet<Long> points = new TreeSet<>();
            for (long t : en.getValue().ts) {
                points.add(ceil(t));
                points.add(ceil(t + memberHorizonMs));
            }
            boolean was = false;
            for (long p : points) {
                boolean is = en.getValue().at(p);
                if (is != was) {
                    for (String c : new String[] {community, "*"}) {
                        changes.computeIfAbsent(c, x -> new TreeMap<>()).merge(p, is ? 1L : -1L, Long::sum);
                    }
                }
                was = is;
            }
        }
        membershipSteps = new HashMap<>();
        changes.forEach((c, m) -> {
            long[][] s = new long[2][m.size()];
            int i = 0;
            for (Map.Entry<Long, Long> e : m.entrySet()) {
                s[0][i] = e.getKey();
                s[1][i++] = e.getValue();
            }
            membershipSteps.put(c, s);
        });
        return membershipSteps;
    }

    /**
     * Expected retention records (final revision), keyed {@code community|retention|P1D|cohortDay}:
     * per member, each join (in event-time order) starts a cohort membership on its calendar day;
     * activity on day +1, +7, +30 counts once each.
     */
    public Map<String, Map<String, Double>> retention() {
        Map<String, List<Ev>> perMember = new HashMap<>();
        for (Ev e : events) {
            if (e.community != null) perMember.computeIfAbsent(e.community + "|" + e.user, x -> new ArrayList<>()).add(e);
        }
        Map<String, long[]> cohorts = new TreeMap<>();
        for (Map.Entry<String, List<Ev>> en : perMember.entrySet()) {
            String community = en.getKey().substring(0, en.getKey().indexOf('|'));
            List<Ev> list = new ArrayList<>(en.getValue());
            list.sort(Comparator.comparingLong(Ev::ts).thenComparing(e -> kindOrder(e.kind)).thenComparing(Ev::id));
            long joinDay = Long.MIN_VALUE;
            Set<Long> counted = new HashSet<>();
            for (Ev e : list) {
                long day = start(e.ts, DAY, Math.floorMod(-dayOffsetMs, DAY));
                if (e.kind.equals("join")) {
                    joinDay = day;
                    counted.clear();
                    cohorts.computeIfAbsent(community + "|retention|P1D|" + joinDay, x -> new long[4])[0]++;
                } else if (isActivity(e) && joinDay != Long.MIN_VALUE) {
                    long k = (day - joinDay) / DAY;
                    int slot = k == 1 ? 1 : k == 7 ? 2 : k == 30 ? 3 : 0;
                    if (slot > 0 && counted.add(k)) cohorts.get(community + "|retention|P1D|" + joinDay)[slot]++;
                }
            }
        }
        Map<String, Map<String, Double>> out = new TreeMap<>();
        cohorts.forEach((k, c) -> {
            Map<String, Double> m = new TreeMap<>();
            m.put("cohort", (double) c[0]);
            String[] names = {null, "d1", "d7", "d30"};
            for (int i = 1; i <= 3; i++) {
                m.put(names[i] + "_retained", (double) c[i]);
                if (c[0] > 0) m.put(names[i], round((double) c[i] / c[0]));
            }
            out.put(k, m);
        });
        return out;
    }

    /** Expected top contributors per {@code community|top_contributors|P1D|day}: member ids, best first. */
    public Map<String, List<String>> topContributors(int n) {
        return topContributors(n, java.util.function.Function.identity(), java.util.function.Function.identity());
    }

    /**
     * As the job writes them under pseudonymisation: ties are ordered by the in-job id
     * ({@code inJob}, i.e. the sealed id) and ids are written as {@code output} (the pseudonym).
     */
    public Map<String, List<String>> topContributors(int n, java.util.function.Function<String, String> inJob,
                                                     java.util.function.Function<String, String> output) {
        Map<String, Map<String, Long>> received = new TreeMap<>();
        for (Ev e : events) {
            if (e.community == null || e.replyTo == null || e.replyTo.equals(e.user) || !(e.kind.equals("reply") || e.kind.equals("reaction"))) continue;
            long day = start(e.ts, DAY, Math.floorMod(-dayOffsetMs, DAY));
            received.computeIfAbsent(e.community + "|top_contributors|P1D|" + day, x -> new HashMap<>()).merge(e.replyTo, 1L, Long::sum);
        }
        Map<String, List<String>> out = new TreeMap<>();
        received.forEach((k, m) -> {
            List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
            l.sort((a, b) -> a.getValue().equals(b.getValue()) ? inJob.apply(a.getKey()).compareTo(inJob.apply(b.getKey()))
                    : Long.compare(b.getValue(), a.getValue()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < Math.min(n, l.size()); i++) ids.add(output.apply(l.get(i).getKey()));
            out.put(k, ids);
        });
        return out;
    }

    private static int kindOrder(String kind) {
        return com.communitypulse.events.EventKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)).ordinal();
    }

    public Collection<Ev> events() {
        return events;
    }

    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
