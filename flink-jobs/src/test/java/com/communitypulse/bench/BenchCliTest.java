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
}
