package com.communitypulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import com.communitypulse.events.ParsedRecord;
import com.communitypulse.generator.EventGenerator;
import com.communitypulse.generator.GeneratedRecord;
import com.communitypulse.generator.GeneratorConfig;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchCliTest {
    /** The bench divides state by the members counted with this shortcut; it must agree with the real parser. */
    @Test
    void shouldFindSameUserAsParserWhenCountingMembersOfGeneratedRecords() {
        EventGenerator g = new EventGenerator(GeneratorConfig.builder().seed(5).communities(10).members(300).days(2).eventsTarget(3_000).build());
        EventParser parser = new EventParser();
        Set<String> shortcut = new HashSet<>();
        Set<String> parsed = new HashSet<>();
        int checked = 0;
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.kind() == GeneratedRecord.Kind.MALFORMED) continue;
            EventType type = switch (r.topic()) {
                case "pulse.messages" -> EventType.MESSAGE;
                case "pulse.clicks" -> EventType.CLICK;
                default -> EventType.ORDER;
            };
            ParsedRecord p = parser.parse(type, r.value(), r.topic(), 0, checked);
            assertThat(p.isEvent()).isTrue();
            assertThat(BenchCli.userId(r.value())).isEqualTo(p.getEvent().getUserId());
            shortcut.add(BenchCli.userId(r.value()));
            parsed.add(p.getEvent().getUserId());
            checked++;
        }
        assertThat(checked).isGreaterThan(2_000);
        assertThat(shortcut).isEqualTo(parsed).hasSizeGreaterThan(100);
    }

    /** The end markers are valid events at the given time on every input topic (a dead-lettered one would not move the watermark). */
    @Test
    void shouldWriteEndMarkersTheParserAcceptsAtTheGivenTime() {
        EventParser parser = new EventParser();
        long ts = 1_760_000_000_000L;
        java.util.Map<String, byte[]> m = BenchCli.endMarkers(1, ts);
        assertThat(m.keySet()).containsExactlyInAnyOrder("pulse.messages", "pulse.clicks", "pulse.orders");
        Set<String> ids = new HashSet<>();
        for (var e : m.entrySet()) {
            EventType type = switch (e.getKey()) {
                case "pulse.messages" -> EventType.MESSAGE;
                case "pulse.clicks" -> EventType.CLICK;
                default -> EventType.ORDER;
            };
            ParsedRecord p = parser.parse(type, e.getValue(), e.getKey(), 1, 0);
            assertThat(p.isEvent()).as(e.getKey() + ": " + (p.isEvent() ? "" : p.getDeadLetter().getReason())).isTrue();
            assertThat(p.getEvent().getTs()).isEqualTo(ts);
            assertThat(p.getEvent().getCommunityId()).isEqualTo("bench-end");
            ids.add(p.getEvent().getEventId());
        }
        assertThat(ids).hasSize(3);
        assertThat(BenchCli.endMarkers(0, ts).get("pulse.clicks")).isNotEqualTo(m.get("pulse.clicks"));
    }
}
