package com.communitypulse.sentiment;

import static com.communitypulse.testutils.Instants.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.events.EventKind;
import com.communitypulse.events.MemberRole;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.Events;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SentimentFunctionTest {
    private static final OutputTag<ScoredMessage> SCORED = new OutputTag<>("scored") {};
    private OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> h;

    @BeforeEach
    void setUp() throws Exception {
        h = ProcessFunctionTestHarnesses.forProcessFunction(new SentimentFunction(null));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void shouldSetSentimentAndClearTextWhenMemberSpeaks() throws Exception {
        PulseEvent neg = PulseEvent.message("m1", "c1", "u1", BEGINNING, EventKind.POST, "质量太差了，要求退款");
        PulseEvent pos = PulseEvent.message("m2", "c1", "u2", BEGINNING, EventKind.COMMENT, "love it, great deal");
        PulseEvent neutral = PulseEvent.message("m3", "c1", "u3", BEGINNING, EventKind.REPLY, "when is the next sale?").withReplyTo("u1");
        for (PulseEvent e : List.of(neg, pos, neutral)) h.processElement(e, e.getTs());

        List<PulseEvent> out = h.extractOutputValues();
        assertThat(out).extracting(PulseEvent::getSentiment).containsExactly((byte) -1, (byte) 1, (byte) 0);
        assertThat(out).extracting(PulseEvent::getText).containsOnlyNulls();
        assertThat(out).extracting(PulseEvent::getEventId).containsExactly("m1", "m2", "m3");
        assertThat(neg.getText()).as("input is copied, not mutated").isNotNull();

        List<ScoredMessage> scored = scored();
        assertThat(scored).extracting(ScoredMessage::getEventId).containsExactly("m1", "m2", "m3");
        ScoredMessage s = scored.get(0);
        assertThat(s.getLabel()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(s.getScore()).isLessThan(-0.6);
        assertThat(s.getCategories()).contains("refund", "quality");
        assertThat(s.getTerms()).isNotEmpty();
        assertThat(s.getExcerpt()).hasSize("质量太差了，要求退款".length()).contains("退款").doesNotContain("质量太差了，要求退款");
        assertThat(scored.get(1).getExcerpt()).as("no excerpt of non-negative messages").isNull();
        assertThat(scored.get(1).getTerms()).isEmpty();
    }

    @Test
    void shouldPassThroughUnchangedWhenEventIsNotSpeaking() throws Exception {
        PulseEvent reaction = Events.message("c1", "u1", BEGINNING, EventKind.REACTION).withReplyTo("u2");
        PulseEvent join = Events.message("c1", "u1", BEGINNING, EventKind.JOIN);
        PulseEvent click = Events.click("u1", BEGINNING, "c1", null);
        PulseEvent order = Events.paid("o1", "u1", BEGINNING, 100, "c1", null);
        for (PulseEvent e : List.of(reaction, join, click, order)) h.processElement(e.copy(), e.getTs());
        assertThat(h.extractOutputValues()).containsExactly(reaction, join, click, order);
        assertThat(h.extractOutputValues()).extracting(PulseEvent::getSentiment).containsOnly(PulseEvent.UNSCORED);
        assertThat(scored()).isEmpty();
    }

    @Test
    void shouldCarryRoleWhenStaffSpeaks() throws Exception {
        PulseEvent staff = PulseEvent.message("m9", "c1", "s1", BEGINNING, EventKind.POST, "this is a scam, I want a refund").withRole(MemberRole.STAFF);
        h.processElement(staff, BEGINNING);
        assertThat(scored()).singleElement().satisfies(m -> assertThat(m.isStaffOrBot()).isTrue());
    }

    @Test
    void shouldMaskAllButMatchedTermsWhenBuildingExcerpt() {
        assertThat(MaskedExcerpt.of("This is a SCAM, I want a refund", List.of("scam", "refund")))
                .isEqualTo("**** ** * SCAM* * **** * refund");
        String longText = "x".repeat(200) + " refund " + "y".repeat(200);
        String ex = MaskedExcerpt.of(longText, List.of("refund"));
        assertThat(ex.codePointCount(0, ex.length())).isEqualTo(MaskedExcerpt.MAX_CHARS);
        assertThat(ex).contains("refund");
        assertThat(MaskedExcerpt.of("差评😡😡", List.of("差评"))).isEqualTo("差评**");
    }

    /** The scored messages the split after de-duplication hands to the alert functions, from this function's output. */
    private List<ScoredMessage> scored() throws Exception {
        List<ScoredMessage> l = new ArrayList<>();
        try (OneInputStreamOperatorTestHarness<PulseEvent, PulseEvent> split =
                     ProcessFunctionTestHarnesses.forProcessFunction(new ScoredMessageSplit(SCORED))) {
            for (PulseEvent e : h.extractOutputValues()) split.processElement(e.copy(), e.getTs());
            var q = split.getSideOutput(SCORED);
            if (q != null) q.forEach(r -> l.add(r.getValue()));
            assertThat(split.extractOutputValues()).as("evidence stays behind with the alerts")
                    .extracting(PulseEvent::getEvidence).containsOnlyNulls();
        }
        return l;
    }

    @Test
    void shouldCarryNegativeEvidenceButNoTextAcrossTheShuffle() throws Exception {
        PulseEvent neg = PulseEvent.message("m1", "c1", "u1", BEGINNING, EventKind.POST, "this is a scam, I want a refund");
        h.processElement(neg, BEGINNING);
        PulseEvent out = h.extractOutputValues().get(0);
        byte[] wire = org.apache.flink.util.InstantiationUtil.serializeToByteArray(com.communitypulse.events.PulseEventSerializer.INSTANCE, out);
        assertThat(new String(wire, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("this is a scam").contains("scam");
        assertThat(out.getEvidence().categories()).isNotEmpty();
        assertThat(out.getScore()).isLessThan(0);
    }
}
