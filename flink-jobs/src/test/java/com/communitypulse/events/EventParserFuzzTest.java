package com.communitypulse.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Fuzzes {@link EventParser}: for any bytes it must return an event that satisfies the contract or
 * a dead letter that keeps the bytes and names a reason, and never throw.
 *
 * <p>Under plain {@code mvn test} Jazzer runs in regression mode: it replays the seeds in
 * {@code src/test/resources/com/communitypulse/events/EventParserFuzzTestInputs/<method>/} (valid
 * events and each kind of bad input) and stops. To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn -pl flink-jobs -am test -Dtest=EventParserFuzzTest} (new findings land in
 * that directory; keep the ones worth replaying). The first input byte picks the event type.
 */
class EventParserFuzzTest {
    private static final EventParser PARSER = new EventParser(64 * 1024, 4000);

    @FuzzTest(maxDuration = "60s")
    void shouldReturnValidEventOrDeadLetterWithReasonForAnyBytes(byte[] input) {
        EventType type = EventType.values()[input.length == 0 ? 0 : (input[0] & 0xFF) % EventType.values().length];
        byte[] raw = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);

        ParsedRecord r = PARSER.parse(type, raw, type.defaultTopic(), 3, 42L);

        if (r.isEvent()) {
            PulseEvent e = r.getEvent();
            assertThat(e.getType()).isEqualTo(type);
            assertThat(e.getEventId()).isNotBlank().hasSizeLessThanOrEqualTo(EventParser.MAX_ID_LENGTH);
            assertThat(e.getUserId()).isNotBlank().hasSizeLessThanOrEqualTo(EventParser.MAX_ID_LENGTH);
            assertThat(e.getTs()).isBetween(EventParser.MIN_TS, EventParser.MAX_TS);
            // What the job writes back (late topic) must parse again to the same event.
            ParsedRecord again = PARSER.parse(type, EventJson.toJson(e), type.defaultTopic(), 3, 42L);
            assertThat(again.isEvent()).as("re-parse of %s", new String(EventJson.toJson(e))).isTrue();
            assertThat(again.getEvent().getEventId()).isEqualTo(e.getEventId());
            assertThat(again.getEvent().getTs()).isEqualTo(e.getTs());
        } else {
            DeadLetter d = r.getDeadLetter();
            assertThat(d).isNotNull();
            assertThat(d.getReason()).isNotBlank();
            assertThat(Base64.getDecoder().decode(d.getRawBase64())).isEqualTo(raw);
            assertThat(d.getSourceTopic()).isEqualTo(type.defaultTopic());
        }
    }
}
