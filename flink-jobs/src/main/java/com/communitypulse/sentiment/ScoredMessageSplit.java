package com.communitypulse.sentiment;

import com.communitypulse.events.NegativeEvidence;
import com.communitypulse.events.PulseEvent;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Hands every scored message to the alert functions once: chained right after de-duplication,
 * it emits a {@link ScoredMessage} per unique scored message on a side output and lets the event
 * go on without its {@link NegativeEvidence}, which nothing after the alerts needs (so the excerpt
 * never enters per-member state).
 *
 * <p><b>Time and state</b>: none.
 */
public class ScoredMessageSplit extends ProcessFunction<PulseEvent, PulseEvent> {
    private static final long serialVersionUID = 1L;

    private final OutputTag<ScoredMessage> scoredTag;

    public ScoredMessageSplit(OutputTag<ScoredMessage> scoredTag) {
        this.scoredTag = scoredTag;
    }

    @Override
    public void processElement(PulseEvent e, Context ctx, Collector<PulseEvent> out) {
        if (e.getSentiment() != PulseEvent.UNSCORED) {
            NegativeEvidence ev = e.getEvidence();
            ScoredMessage m = new ScoredMessage(e.getEventId(), e.getCommunityId(), e.getUserId(), e.getTs(), e.getRole(),
                    e.getScore(), SentimentFunction.label(e.getSentiment()),
                    ev == null ? List.of() : ev.categories(), ev == null ? List.of() : ev.terms(), ev == null ? null : ev.excerpt());
            if (ev != null && ev.hasFinding()) m.withFinding(ev.clause(), ev.clauseScore(), ev.reasons(), ev.critical());
            ctx.output(scoredTag, m);
            e.setEvidence(null);
        }
        out.collect(e);
    }
}
