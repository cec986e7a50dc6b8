package com.communitypulse.metrics;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Top contributors (opinion leaders, CONTRACT §4): per community and calendar day, the N members who
 * received the most replies and reactions from others ({@code reply_to_user}, self-replies not
 * counted). Keyed by community; the global {@code "*"} copies are ignored (a platform-wide top list
 * is not part of the contract).
 *
 * <p>One record per community and day, {@code kind = "top_contributors"}, emitted when the
 * watermark passes the day's end plus the allowed lateness (so it is final), ranked by count then
 * member id (the same order in every run).
 *
 * <p><b>State</b>: one count per open day and receiving member (map key {@code "<day> <member>"}),
 * so a reply reads and writes one small entry instead of the whole day's map; a day's entries are
 * removed when its record is emitted (one timer per open day, found by one scan of the community's
 * entries then).
 */
public class TopContributorsFunction extends KeyedProcessFunction<String, PulseEvent, MetricRecord> {
    private static final long serialVersionUID = 1L;

    private final Granularity granularity;
    private final int topN;
    private final long latenessMs;
    private transient MapState<String, Long> received;

    public TopContributorsFunction(Granularity granularity, int topN, long latenessMs) {
        this.granularity = granularity;
        this.topN = topN;
        this.latenessMs = latenessMs;
    }

    @Override
    public void open(OpenContext ctx) {
        received = getRuntimeContext().getMapState(new MapStateDescriptor<>("received-per-day-member", String.class, Long.class));
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<MetricRecord> out) throws Exception {
        if ((e.getKind() != EventKind.REPLY && e.getKind() != EventKind.REACTION) || e.getReplyToUser() == null
                || e.getReplyToUser().equals(e.getUserId()) || MemberActivityOperator.GLOBAL.equals(e.getCommunityId())) {
            return;
        }
        long day = granularity.dayStart(e.getTs());
        String key = day + " " + e.getReplyToUser();
        Long n = received.get(key);
        // Timers are unique per key and time: registering the day's timer again is a no-op.
        ctx.timerService().registerEventTimeTimer(day + granularity.size(Granularity.DAY) + latenessMs);
        received.put(key, n == null ? 1L : n + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) throws Exception {
        long dayLength = granularity.size(Granularity.DAY);
        long day = timestamp - latenessMs - dayLength;
        String prefix = day + " ";
        List<Map.Entry<String, Long>> ranked = new ArrayList<>();
        for (Map.Entry<String, Long> en : received.entries()) {
            if (en.getKey().startsWith(prefix)) {
                ranked.add(Map.entry(en.getKey().substring(prefix.length()), en.getValue()));
            }
        }
        if (ranked.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Long> en : ranked) {
            received.remove(prefix + en.getKey());
        }
        ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        int n = Math.min(topN, ranked.size());
        String[] members = new String[n];
        long[] scores = new long[n];
        for (int i = 0; i < n; i++) {
            members[i] = ranked.get(i).getKey();
            scores[i] = ranked.get(i).getValue();
        }
        MetricRecord r = MetricRecord.window(ctx.getCurrentKey(), "P1D", day, day + dayLength, 0);
        r.setKind(MetricRecord.CONTRIBUTORS);
        r.put("members_with_responses", ranked.size());
        r.setMembers(members);
        r.setScores(scores);
        out.collect(r);
    }
}
