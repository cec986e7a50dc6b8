package com.communitypulse.generator;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.events.PulseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test utility: a whole generator run held in memory (small configs only) plus helpers to parse it. */
final class GeneratedRun {
    final GeneratorConfig config;
    final List<GeneratedRecord> records = new ArrayList<>();
    final GroundTruth truth;

    private static final Map<GeneratorConfig, GeneratedRun> CACHE = new HashMap<>();

    private GeneratedRun(GeneratorConfig config) {
        this.config = config;
        EventGenerator g = new EventGenerator(config);
        while (g.hasNext()) records.add(g.next());
        this.truth = g.truth();
    }

    /** Runs are immutable, so tests share them to stay fast. */
    static synchronized GeneratedRun of(GeneratorConfig c) {
        return CACHE.computeIfAbsent(c, GeneratedRun::new);
    }

    /** A small run with every fault class at a visible rate. */
    static GeneratorConfig small() {
        return GeneratorConfig.builder().seed(7).communities(20).members(800).days(3).eventsTarget(40_000)
                .duplicateRate(0.03).outOfOrderRate(0.04).lateRate(0.01).malformedRate(0.01).build();
    }

    /** Five weeks, so that churners can go quiet long enough to be detected and weekly members recur. */
    static GeneratorConfig fiveWeeks() {
        return GeneratorConfig.builder().seed(11).communities(20).members(1_200).days(35).eventsTarget(150_000)
                .churnerFraction(0.03).weeklyFraction(0.02).build();
    }

    static EventType typeOf(String topic) {
        for (EventType t : EventType.values()) if (t.defaultTopic().equals(topic)) return t;
        throw new IllegalArgumentException(topic);
    }

    static ParsedRecord parse(GeneratedRecord r) {
        return new EventParser().parse(typeOf(r.topic()), r.value(), r.topic(), 0, 0);
    }

    /** The valid events of the run, duplicates and late ones excluded, in emission order. */
    List<PulseEvent> uniqueEvents() {
        List<PulseEvent> out = new ArrayList<>();
        EventParser p = new EventParser();
        for (GeneratedRecord r : records) {
            if (r.kind() == GeneratedRecord.Kind.GOOD || r.kind() == GeneratedRecord.Kind.OUT_OF_ORDER) {
                out.add(p.parse(typeOf(r.topic()), r.value(), r.topic(), 0, 0).getEvent());
            }
        }
        return out;
    }
}
