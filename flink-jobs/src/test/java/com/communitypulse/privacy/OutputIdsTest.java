package com.communitypulse.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.alerts.AlertJson;
import com.communitypulse.alerts.AlertRecord;
import com.communitypulse.alerts.AlertType;
import com.communitypulse.alerts.Severity;
import com.communitypulse.events.EventJson;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.testutils.TestKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputIdsTest {
    private final Pseudonymizer p = TestKeys.pseudonymizer();

    @Test
    void shouldPseudonymiseMembersAndKeepOriginalInAlertsWhenConfigured() {
        OutputIds ids = new OutputIds(p, true);
        String sealed = p.seal("u7");
        assertThat(ids.member(sealed)).isEqualTo(p.pseudonym("u7"));
        assertThat(ids.alertMember(sealed)).isEqualTo("u7");
        assertThat(ids.alertsPseudonymised()).isFalse();
        assertThat(new OutputIds(p, false).alertMember(sealed)).isEqualTo(p.pseudonym("u7"));
    }

    @Test
    void shouldRewriteEveryEvidenceUserIdWhenWritingAlerts() {
        String ev = "{\"most_negative\":[{\"event_id\":\"e1\",\"user_id\":\"" + p.seal("u1") + "\",\"score\":-0.9}],\"n\":1}";
        AlertRecord a = new AlertRecord("0123456789abcdef0123456789abcdef", AlertType.NEGATIVE_MESSAGE, Severity.WARNING, "c1", p.seal("u1"),
                1L, 2L, null, ev);
        String pseud = new String(AlertJson.toJson(a, new OutputIds(p, false)), StandardCharsets.UTF_8);
        assertThat(pseud).contains("\"user_id\":\"" + p.pseudonym("u1") + "\"").contains("\"key_id\":\"k1\"").doesNotContain("\"u1\"");
        String original = new String(AlertJson.toJson(a, new OutputIds(p, true)), StandardCharsets.UTF_8);
        assertThat(original).contains("\"user_id\":\"u1\"").doesNotContain("key_id").doesNotContain(p.pseudonym("u1"));
    }

    @Test
    void shouldDropTextAndPseudonymiseWhenWritingLateEvents() {
        PulseEvent e = PulseEvent.message("e1", "c1", p.seal("u1"), 5L, EventKind.REPLY, "secret words");
        e.setReplyToUser(p.seal("u2"));
        String json = new String(EventJson.lateJson(e, 9L, new OutputIds(p, true)), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("secret words").contains("\"text_chars\":12").contains("\"key_id\":\"k1\"")
                .contains(p.pseudonym("u1")).contains(p.pseudonym("u2"));
    }

    @Test
    void shouldWriteSchemaValidRecordsWithKeyIdWhenPseudonymised() {
        OutputIds ids = new OutputIds(p, true);
        PulseEvent e = PulseEvent.message("e1", "c1", p.seal("u1"), 5L, EventKind.POST, "some words");
        String late = new String(EventJson.lateJson(e, 9L, ids), StandardCharsets.UTF_8);
        assertThat(com.communitypulse.testutils.Schemas.validate(com.communitypulse.testutils.Schemas.forTopic("pulse.late"), late)).isEmpty();
        var rec = new com.communitypulse.lifecycle.LifecycleRecord("c1", p.seal("u1"), null, com.communitypulse.lifecycle.LifecycleStage.NEW, 5L, "joined");
        String lc = new String(com.communitypulse.lifecycle.LifecycleJson.toJson(rec, ids), StandardCharsets.UTF_8);
        assertThat(lc).contains("\"key_id\":\"k1\"").contains(p.pseudonym("u1"));
        assertThat(com.communitypulse.testutils.Schemas.validate(com.communitypulse.testutils.Schemas.forTopic("pulse.lifecycle"), lc)).isEmpty();
    }
}
