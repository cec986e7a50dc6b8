package com.communitypulse.alerts;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.sentiment.ScoredMessage;
import com.communitypulse.testutils.Scored;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AlertJsonSchemaTest {
    private static final ObjectMapper OM = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void load() {
        schema = AlertSchemas.load();
    }

    @Test
    void shouldMatchSchemaWhenRecordsComeFromBothAlertFunctions() throws Exception {
        List<AlertRecord> alerts = new ArrayList<>();
        var msg = NegativeMessageFunctionTest.harness();
        msg.open();
        List<ScoredMessage> in = new ArrayList<>();
        for (int i = 0; i < 8; i++) in.add(Scored.complaint("c1", "u" + i, BEGINNING + i * ONE_MINUTE));
        in.add(Scored.complaint("c2", "u1", BEGINNING).withFinding("快递十天*还没到", -0.78, List.of("delivery: '还没到' after '快递'"), false));
        NegativeMessageFunctionTest.run(msg, in, BEGINNING + ONE_HOUR);
        alerts.addAll(msg.extractOutputValues());
        msg.close();
        var spike = NegativeSpikeFunctionTest.harness();
        spike.open();
        for (ScoredMessage m : NegativeSpikeFunctionTest.burst("c1", BEGINNING)) spike.processElement(m, m.getTs());
        spike.processWatermark(BEGINNING + ONE_HOUR);
        alerts.addAll(spike.extractOutputValues());
        spike.close();

        assertThat(alerts).extracting(a -> a.getType() + "/" + a.getState())
                .contains("NEGATIVE_MESSAGE/null", "NEGATIVE_SPIKE/FIRING", "NEGATIVE_SPIKE/RESOLVED");
        for (AlertRecord a : alerts) {
            JsonNode json = OM.readTree(AlertJson.toJson(a));
            assertThat(AlertSchemas.validate(schema, json)).as(json.toString()).isEmpty();
        }
    }

    @Test
    void shouldWriteSnakeCaseFieldsAndOmitAbsentOnesWhenSerializing() throws Exception {
        AlertRecord a = new AlertRecord(AlertIds.of(AlertType.MEMBER_CHURNED, "c1", "u1", BEGINNING), AlertType.MEMBER_CHURNED,
                Severity.WARNING, "c1", "u1", BEGINNING, 5L, null, Evidence.object(g -> g.writeNumberField("median_gap_days", 2)));
        JsonNode json = OM.readTree(AlertJson.toJson(a));
        assertThat(json.fieldNames()).toIterable().containsExactly("schema_version", "alert_id", "type", "severity", "community_id",
                "user_id", "event_ts", "emitted_at", "evidence");
        assertThat(json.get("evidence").get("median_gap_days").asInt()).isEqualTo(2);
        assertThat(AlertSchemas.validate(schema, json)).isEmpty();
    }

    @Test
    void shouldRejectRecordsWhenContractIsBroken() throws Exception {
        AlertRecord a = new AlertRecord(AlertIds.of(AlertType.NEGATIVE_SPIKE, "c1", null, BEGINNING, "firing"), AlertType.NEGATIVE_SPIKE,
                Severity.CRITICAL, "c1", null, BEGINNING, 5L, AlertState.FIRING, "{}");
        ObjectNode json = (ObjectNode) OM.readTree(AlertJson.toJson(a));
        assertThat(AlertSchemas.validate(schema, json)).as("spike evidence lacks its numbers").isNotEmpty();
        ObjectNode noState = json.deepCopy();
        noState.remove("state");
        noState.set("evidence", OM.createObjectNode());
        assertThat(AlertSchemas.validate(schema, noState)).as("a spike needs a state").isNotEmpty();
        ObjectNode member = OM.createObjectNode().put("schema_version", 1).put("alert_id", a.getAlertId()).put("type", "MEMBER_CHURNED")
                .put("severity", "warning").put("community_id", "c1").put("event_ts", 1).put("emitted_at", 2);
        member.set("evidence", OM.createObjectNode());
        assertThat(AlertSchemas.validate(schema, member)).as("a member alert needs user_id").isNotEmpty();
        member.put("user_id", "u1");
        assertThat(AlertSchemas.validate(schema, member)).isEmpty();
        assertThat(AlertSchemas.validate(schema, member.deepCopy().put("type", "MEMBER_AT_RISK"))).as("at-risk evidence names the rhythm").isNotEmpty();
        member.put("text", "raw chat");
        assertThat(AlertSchemas.validate(schema, member)).as("no extra fields").isNotEmpty();
    }
}
