package com.communitypulse.events;

import static com.communitypulse.testutils.Instants.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private final EventParser parser = new EventParser();

    private ParsedRecord parse(EventType t, String json) {
        return parser.parse(t, json.getBytes(StandardCharsets.UTF_8), t.defaultTopic(), 1, 42);
    }

    @Test
    void shouldParseEveryFieldWhenMessageIsValid() {
        ParsedRecord r = parse(EventType.MESSAGE, "{\"event_id\":\"e1\",\"community_id\":\"c1\",\"user_id\":\"u1\",\"ts\":" + BEGINNING
                + ",\"kind\":\"reply\",\"text\":\"好评\",\"reply_to_user\":\"u2\",\"role\":\"staff\",\"lang\":\"zh\",\"extra\":{\"x\":[1,2]}}");
        assertThat(r.isEvent()).isTrue();
        PulseEvent e = r.getEvent();
        assertThat(e.getKind()).isEqualTo(EventKind.REPLY);
        assertThat(e.getText()).isEqualTo("好评");
        assertThat(e.getReplyToUser()).isEqualTo("u2");
        assertThat(e.getRole()).isEqualTo(MemberRole.STAFF);
        assertThat(e.getLang()).isEqualTo("zh");
        assertThat(e.getTs()).isEqualTo(BEGINNING);
        // The router judges lateness per partition: an event must say where it was read.
        assertThat(r.getTopic()).isEqualTo("pulse.messages");
        assertThat(r.getPartition()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterNamingTheKeyWhenAFieldAppearsTwice() {
        // Parsers disagree on which of two values wins; the job must not pick one silently.
        ParsedRecord r = parse(EventType.MESSAGE, "{\"event_id\":\"e1\",\"event_id\":\"e2\",\"community_id\":\"c1\",\"user_id\":\"u1\",\"ts\":"
                + BEGINNING + ",\"kind\":\"post\",\"text\":\"x\"}");
        assertThat(r.isEvent()).isFalse();
        assertThat(r.getDeadLetter().getReason()).contains("Duplicate field 'event_id'");
        assertThat(r.getDeadLetter().getOffset()).isEqualTo(42);
    }

    @Test
    void shouldAcceptTheSameKeyInDifferentNestedObjects() {
        ParsedRecord r = parse(EventType.MESSAGE, "{\"event_id\":\"e1\",\"community_id\":\"c1\",\"user_id\":\"u1\",\"ts\":" + BEGINNING
                + ",\"kind\":\"post\",\"text\":\"x\",\"extra\":{\"event_id\":1,\"a\":{\"event_id\":2}}}");
        assertThat(r.isEvent()).isTrue();
    }

    @Test
    void shouldRoundTripEveryEventTypeWhenWrittenAndParsedAgain() {
        List<PulseEvent> events = List.of(
                PulseEvent.message("m1", "c1", "u1", BEGINNING, EventKind.POST, "hello \"world\" \n 你好 😀"),
                PulseEvent.message("m2", "c1", "u1", BEGINNING, EventKind.REACTION, null).withReplyTo("u2"),
                PulseEvent.message("m3", "c1", "u1", BEGINNING, EventKind.JOIN, null).withRole(MemberRole.BOT).withLang("en"),
                PulseEvent.click("k1", "u1", BEGINNING, EventKind.ADD_TO_CART, "i1", "c1", "s1"),
                PulseEvent.click("k2", "u1", BEGINNING, EventKind.VIEW, "i1", null, null),
                PulseEvent.order("o1", "ord1", "u1", BEGINNING, EventKind.PAID, 12345, "CNY", "c1", "s1"),
                PulseEvent.order("o2", "ord1", "u1", BEGINNING, EventKind.REFUNDED, 12345, "USD", null, null));
        for (PulseEvent e : events) {
            ParsedRecord r = parser.parse(e.getType(), EventJson.toJson(e), "t", 0, 0);
            assertThat(r.isEvent()).as(e.toString()).isTrue();
            assertThat(r.getEvent()).isEqualTo(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json|malformed JSON",
            "42|not a JSON object",
            "{\"event_id\":\"e\"|malformed JSON",
            "[1,2]|not a JSON object",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"kind\":\"post\",\"text\":\"x\"}|missing field 'ts'",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":\"12\",\"kind\":\"post\",\"text\":\"x\"}|field 'ts' must be an integer",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"shout\",\"text\":\"x\"}|unknown kind 'shout'",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":42,\"kind\":\"post\",\"text\":\"x\"}|absurd timestamp",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\"}|missing field 'text'",
            "{\"event_id\":1,\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"x\"}|field 'event_id' must be a string",
            "{\"event_id\":\"\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"x\"}|field 'event_id' must not be empty",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"x\",\"role\":\"king\"}|unknown role",
            "{\"event_id\":\"e\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"x\"}|missing field 'community_id'",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"x\"} {}|trailing content",
            "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":99999999999999999999999,\"kind\":\"post\",\"text\":\"x\"}|out of range",
    })
    void shouldDeadLetterWithReasonWhenMessageIsMalformed(String json, String reason) {
        ParsedRecord r = parse(EventType.MESSAGE, json);
        assertThat(r.isEvent()).isFalse();
        DeadLetter d = r.getDeadLetter();
        assertThat(d.getReason()).contains(reason);
        assertThat(d.getSourceTopic()).isEqualTo("pulse.messages");
        assertThat(d.getPartition()).isEqualTo(1);
        assertThat(d.getOffset()).isEqualTo(42);
        assertThat(r.getTopic()).isEqualTo("pulse.messages");
        assertThat(r.getPartition()).isEqualTo(1);
        assertThat(Base64.getDecoder().decode(d.getRawBase64())).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"event_id\":\"e\",\"order_id\":\"o\",\"user_id\":\"u\",\"ts\":1767578400000,\"status\":\"paid\",\"amount_minor\":-5,\"currency\":\"CNY\"}|must not be negative",
            "{\"event_id\":\"e\",\"order_id\":\"o\",\"user_id\":\"u\",\"ts\":1767578400000,\"status\":\"paid\",\"amount_minor\":5.5,\"currency\":\"CNY\"}|must be an integer",
            "{\"event_id\":\"e\",\"order_id\":\"o\",\"user_id\":\"u\",\"ts\":1767578400000,\"status\":\"paid\",\"amount_minor\":5,\"currency\":\"yuan\"}|ISO 4217",
            "{\"event_id\":\"e\",\"order_id\":\"o\",\"user_id\":\"u\",\"ts\":1767578400000,\"status\":\"shipped\",\"amount_minor\":5,\"currency\":\"CNY\"}|unknown status 'shipped'",
            "{\"event_id\":\"e\",\"user_id\":\"u\",\"ts\":1767578400000,\"status\":\"paid\",\"amount_minor\":5,\"currency\":\"CNY\"}|missing field 'order_id'",
    })
    void shouldDeadLetterWithReasonWhenOrderIsMalformed(String json, String reason) {
        ParsedRecord r = parse(EventType.ORDER, json);
        assertThat(r.isEvent()).isFalse();
        assertThat(r.getDeadLetter().getReason()).contains(reason);
    }

    @Test
    void shouldDeadLetterWhenBytesAreNotUtf8() {
        byte[] raw = {'{', '"', 'e', 'v', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        ParsedRecord r = parser.parse(EventType.CLICK, raw, "pulse.clicks", 0, 7);
        assertThat(r.isEvent()).isFalse();
        assertThat(r.getDeadLetter().getReason()).startsWith("malformed JSON");
        assertThat(Base64.getDecoder().decode(r.getDeadLetter().getRawBase64())).isEqualTo(raw);
    }

    @Test
    void shouldDeadLetterWhenNestingIsDeep() {
        String deep = "{\"event_id\":\"e\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        ParsedRecord r = parse(EventType.CLICK, deep);
        assertThat(r.isEvent()).isFalse();
        assertThat(r.getDeadLetter().getReason()).contains("limit");
    }

    @Test
    void shouldDeadLetterWhenRecordOrTextIsHuge() {
        String text = "a".repeat(5000);
        ParsedRecord r = parse(EventType.MESSAGE, "{\"event_id\":\"e\",\"community_id\":\"c\",\"user_id\":\"u\",\"ts\":1767578400000,\"kind\":\"post\",\"text\":\"" + text + "\"}");
        assertThat(r.getDeadLetter().getReason()).contains("text of 5000 characters exceeds the limit of 4000");
        ParsedRecord big = parse(EventType.MESSAGE, "{\"event_id\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.getDeadLetter().getReason()).contains("exceeds the limit of 65536");
    }

    @Test
    void shouldDeadLetterWhenRecordIsEmptyOrNull() {
        assertThat(parser.parse(EventType.MESSAGE, null, "t", 0, 0).getDeadLetter().getReason()).isEqualTo("empty record");
        assertThat(parser.parse(EventType.MESSAGE, new byte[0], "t", 0, 0).getDeadLetter().getRawSize()).isZero();
    }
}
