package com.communitypulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventParser;
import com.communitypulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MalformedTest {
    private static final long TS = GeneratorConfig.DEFAULT_START_TS + 3_600_000L;
    private final EventParser parser = new EventParser();

    @Test
    void shouldBeRejectedByTheParserWhenAnyVariantIsBuilt() {
        SplittableRandom r = new SplittableRandom(1);
        for (EventType type : EventType.values()) {
            for (Malformed.Variant v : Malformed.Variant.values()) {
                for (int i = 0; i < 30; i++) {
                    byte[] b = Malformed.build(v, r, type, "x-" + i, "u" + i, "c" + i, TS);
                    String shown = type + "/" + v + ": " + new String(b, StandardCharsets.UTF_8);
                    assertThat(parser.parse(type, b, type.defaultTopic(), 0, 0).isEvent()).as(shown).isFalse();
                    byte[] lossy = new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                    assertThat(parser.parse(type, lossy, type.defaultTopic(), 0, 0).isEvent()).as("lossy " + shown).isFalse();
                    for (byte x : b) assertThat(x).as(shown).isNotEqualTo((byte) '\n').isNotEqualTo((byte) '\r');
                }
            }
        }
    }

    @Test
    void shouldBeAcceptedWhenTheBaseRecordIsLeftIntact() {
        for (EventType type : EventType.values()) {
            assertThat(parser.parse(type, Malformed.valid(type, "x-1", "u1", "c1", TS), type.defaultTopic(), 0, 0).isEvent())
                    .as(type.name()).isTrue();
        }
    }

    @Test
    void shouldExceedTheTextLimitWhenOversizedMessageIsBuilt() {
        byte[] b = Malformed.build(Malformed.Variant.OVERSIZED, new SplittableRandom(2), EventType.MESSAGE, "x", "u1", "c1", TS);
        assertThat(parser.parse(EventType.MESSAGE, b, "pulse.messages", 0, 0).getDeadLetter().getReason()).contains("exceeds the limit of 4000");
    }
}
