package com.communitypulse.connectors.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PulseBoardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BEGINNING = 1_700_000_040_000L - 1_700_000_040_000L % 60_000;
    private static final long ONE_MINUTE_LATER = BEGINNING + 60_000;
    private static final long TWO_MINUTES_LATER = BEGINNING + 120_000;
    private static final long THREE_MINUTES_LATER = BEGINNING + 180_000;

    private final AtomicLong now = new AtomicLong(THREE_MINUTES_LATER);

    private static JsonNode window(String community, long start, long revision, String metrics) {
        return json("{\"schema_version\":1,\"kind\":\"window\",\"community_id\":\"" + community + "\",\"window\":\"PT1M\",\"window_start\":" + start
                + ",\"window_end\":" + (start + 60_000) + ",\"revision\":" + revision + ",\"metrics\":" + metrics + "}");
    }

    private static JsonNode rolling(String community, long asOf, long dau, long mau) {
        return json("{\"schema_version\":1,\"kind\":\"rolling\",\"community_id\":\"" + community + "\",\"as_of\":" + asOf
                + ",\"revision\":0,\"metrics\":{\"dau\":" + dau + ",\"wau\":" + dau + ",\"mau\":" + mau + ",\"members\":" + mau
                + ",\"speaking_members_1d\":1,\"stickiness\":" + ((double) dau / mau) + ",\"participation_rate\":" + (1.0 / mau) + "}}");
    }

    private static JsonNode alert(String id, String type, String severity, String community, String state) {
        return json("{\"schema_version\":1,\"alert_id\":\"" + id + "\",\"type\":\"" + type + "\",\"severity\":\"" + severity
                + "\",\"community_id\":\"" + community + "\",\"user_id\":\"u-secret\",\"event_ts\":" + BEGINNING + ",\"emitted_at\":" + BEGINNING
                + (state == null ? "" : ",\"state\":\"" + state + "\"") + ",\"evidence\":{\"text\":\"terrible fake\"}}");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private String scrape(PulseBoard b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, b.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldLabelTopCommunitiesAndSumTheRestIntoOtherWhenThereAreMoreThanN() throws IOException {
        PulseBoard b = new PulseBoard(2, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 50, 100));
        b.acceptMetric(rolling("c2", BEGINNING, 40, 100));
        b.acceptMetric(rolling("c3", BEGINNING, 10, 100));
        b.acceptMetric(rolling("c4", BEGINNING, 5, 60));
        b.acceptMetric(rolling("*", BEGINNING, 105, 360));

        String text = scrape(b);

        assertThat(text).contains("pulse_rolling_dau{community=\"c1\"} 50.0", "pulse_rolling_dau{community=\"c2\"} 40.0",
                "pulse_rolling_dau{community=\"other\"} 15.0", "pulse_rolling_dau{community=\"*\"} 105.0",
                // other's ratio from summed numerator and denominator: 15 / 160, not the mean of 0.1 and 0.083
                "pulse_rolling_stickiness_ratio{community=\"other\"} 0.09375");
        assertThat(text).doesNotContain("community=\"c3\"", "community=\"c4\"");
    }

    @Test
    void shouldKeepTheHighestRevisionOfTheLatestWindowWhenUpdatesArriveOutOfOrder() throws IOException {
        PulseBoard b = new PulseBoard(5, 10, now::get);
        b.acceptMetric(window("c1", ONE_MINUTE_LATER, 1, "{\"messages\":7,\"sentiment_negative\":1,\"sentiment_positive\":3,\"sentiment_neutral\":0,\"negative_ratio\":0.25}"));
        b.acceptMetric(window("c1", ONE_MINUTE_LATER, 0, "{\"messages\":5}"));
        b.acceptMetric(window("c1", BEGINNING, 3, "{\"messages\":99}"));

        String text = scrape(b);

        assertThat(text).contains("pulse_window_messages{community=\"c1\",window=\"PT1M\"} 7.0",
                "pulse_window_negative_ratio{community=\"c1\",window=\"PT1M\"} 0.25",
                "pulse_window_start_seconds{window=\"PT1M\"} 1.7000001E9");
    }

    @Test
    void shouldDropACommunityFromWindowGaugesWhenItsLatestWindowIsOlderThanThePreviousOne() throws IOException {
        PulseBoard b = new PulseBoard(5, 10, now::get);
        b.acceptMetric(window("quiet", BEGINNING, 0, "{\"messages\":3}"));
        b.acceptMetric(window("busy", ONE_MINUTE_LATER, 0, "{\"messages\":4}"));
        assertThat(scrape(b)).contains("pulse_window_messages{community=\"quiet\",window=\"PT1M\"} 3.0");

        b.acceptMetric(window("busy", TWO_MINUTES_LATER, 0, "{\"messages\":6}"));

        assertThat(scrape(b)).doesNotContain("community=\"quiet\",window").contains("pulse_window_messages{community=\"busy\",window=\"PT1M\"} 6.0");
    }

    @Test
    void shouldOmitRatiosOfOtherWhenTheDenominatorIsZero() throws IOException {
        PulseBoard b = new PulseBoard(1, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptMetric(window("c1", BEGINNING, 0, "{\"messages\":1}"));
        b.acceptMetric(window("c2", BEGINNING, 0, "{\"messages\":2,\"clicks\":0,\"orders\":0}"));

        String text = scrape(b);

        assertThat(text).contains("pulse_window_messages{community=\"other\",window=\"PT1M\"} 2.0").doesNotContain("pulse_window_click_to_order{");
    }

    @Test
    void shouldCountEachAlertOnceWithoutUserIdsOrTextsWhenDeliveredTwice() throws IOException {
        PulseBoard b = new PulseBoard(5, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptAlert(alert("a1", "NEGATIVE_MESSAGE", "warning", "c1", null));
        b.acceptAlert(alert("a1", "NEGATIVE_MESSAGE", "warning", "c1", null));
        b.acceptAlert(alert("a2", "NEGATIVE_SPIKE", "critical", "c1", "firing"));
        b.acceptAlert(alert("a3", "NEGATIVE_SPIKE", "info", "c1", "resolved"));

        String text = scrape(b);

        assertThat(text).contains("pulse_alerts_total{community=\"c1\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 1.0",
                "pulse_alerts_total{community=\"c1\",severity=\"critical\",type=\"NEGATIVE_SPIKE\"} 1.0",
                "pulse_alert_types_total{severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 1.0",
                "pulse_alert_types_total{severity=\"info\",type=\"MEMBER_AT_RISK\"} 0.0",
                "pulse_alerts_total{community=\"other\",severity=\"info\",type=\"MEMBER_AT_RISK\"} 0.0",
                "pulse_alerts_resolved_total{type=\"NEGATIVE_SPIKE\"} 1.0",
                "pulse_exporter_duplicate_alerts_total 1.0");
        assertThat(text).doesNotContain("u-secret", "terrible");
    }

    @Test
    void shouldKeepAlertCountersMonotonicWhenACommunityLeavesTheTopN() throws IOException {
        PulseBoard b = new PulseBoard(1, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptAlert(alert("a1", "NEGATIVE_MESSAGE", "warning", "c1", null));
        b.acceptMetric(rolling("c2", BEGINNING, 20, 30));
        b.acceptAlert(alert("a2", "NEGATIVE_MESSAGE", "warning", "c1", null));

        String text = scrape(b);

        // c1 keeps its series (no drop to "other" and back), so increase() never sees a reset.
        assertThat(text).contains("pulse_alerts_total{community=\"c1\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 2.0")
                .contains("pulse_alerts_total{community=\"other\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 0.0");
    }

    @Test
    void shouldCountUnderOtherWhenTheAlertLabelBudgetIsSpent() throws IOException {
        PulseBoard b = new PulseBoard(5, 1, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptMetric(rolling("c2", BEGINNING, 8, 10));
        b.acceptAlert(alert("a1", "NEGATIVE_MESSAGE", "warning", "c1", null));
        b.acceptAlert(alert("a2", "NEGATIVE_MESSAGE", "warning", "c2", null));

        assertThat(scrape(b)).contains("pulse_alerts_total{community=\"other\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 1.0");
    }

    @Test
    void shouldReportFreshnessAsWallClockMinusLatestEventTimeWhenScraped() throws IOException {
        PulseBoard b = new PulseBoard(5, 10, now::get);
        b.acceptMetric(window("c1", BEGINNING, 0, "{\"messages\":1}"));

        assertThat(scrape(b)).contains("pulse_data_freshness_seconds{input=\"metrics\"} 120.0");
        now.addAndGet(30_000);
        assertThat(scrape(b)).contains("pulse_data_freshness_seconds{input=\"metrics\"} 150.0");
    }

    @Test
    void shouldCountInvalidRecordsWithoutChangingGaugesWhenRecordsAreMalformed() throws IOException {
        PulseBoard b = new PulseBoard(5, 10, now::get);

        assertThat(b.acceptMetric(null)).isFalse();
        assertThat(b.acceptMetric(json("{\"kind\":\"window\",\"community_id\":\"c1\",\"revision\":0,\"metrics\":{},\"window\":\"weekly\"}"))).isFalse();
        assertThat(b.acceptMetric(json("{\"kind\":\"rolling\",\"community_id\":\"other\",\"revision\":0,\"as_of\":1,\"metrics\":{}}"))).isFalse();
        assertThat(b.acceptAlert(alert("a1", "SOMETHING_NEW", "warning", "c1", null))).isFalse();

        String text = scrape(b);
        assertThat(text).contains("pulse_exporter_invalid_records_total{input=\"metrics\"} 3.0", "pulse_exporter_invalid_records_total{input=\"alerts\"} 1.0")
                .doesNotContain("SOMETHING_NEW", "pulse_window_messages{");
    }

    @Test
    void shouldExportRatiosUnderTheirRatioNamesAndTheOldNamesAsDeprecatedAliasesWhenScraped() throws IOException {
        PulseBoard b = new PulseBoard(1, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptMetric(rolling("c2", BEGINNING, 3, 12));
        b.acceptMetric(window("c1", BEGINNING, 0, "{\"active_members\":4,\"buyers\":1,\"clicks\":5,\"orders\":2,\"conversion_rate\":0.25,\"click_to_order\":0.4}"));
        b.acceptMetric(window("c2", BEGINNING, 0, "{\"active_members\":8,\"buyers\":6,\"clicks\":4,\"orders\":1}"));

        String text = scrape(b);

        // c2 falls into "other": its ratios are recomputed from the sums (6/8, 1/4, 3/12, 1/12), under both names.
        for (String[] names : new String[][] {{"pulse_window_conversion_ratio", "pulse_window_conversion_rate"},
                {"pulse_window_click_to_order_ratio", "pulse_window_click_to_order"}}) {
            assertThat(text).contains(names[0] + "{community=\"c1\",window=\"PT1M\"} " + (names[0].contains("conversion") ? "0.25" : "0.4"))
                    .contains(names[1] + "{community=\"c1\",window=\"PT1M\"} " + (names[0].contains("conversion") ? "0.25" : "0.4"))
                    .contains(names[0] + "{community=\"other\",window=\"PT1M\"} " + (names[0].contains("conversion") ? 6.0 / 8 : 1.0 / 4))
                    .contains(names[1] + "{community=\"other\",window=\"PT1M\"} " + (names[0].contains("conversion") ? 6.0 / 8 : 1.0 / 4));
        }
        assertThat(text).contains("pulse_rolling_stickiness_ratio{community=\"c1\"} 0.9", "pulse_rolling_stickiness{community=\"c1\"} 0.9",
                "pulse_rolling_stickiness_ratio{community=\"other\"} 0.25", "pulse_rolling_stickiness{community=\"other\"} 0.25",
                "pulse_rolling_participation_ratio{community=\"c1\"} 0.1", "pulse_rolling_participation_rate{community=\"c1\"} 0.1",
                "pulse_rolling_participation_ratio{community=\"other\"} " + (1.0 / 12),
                "# HELP pulse_rolling_stickiness DEPRECATED, use pulse_rolling_stickiness_ratio",
                "# HELP pulse_window_conversion_rate DEPRECATED, use pulse_window_conversion_ratio",
                "# HELP pulse_alert_types_total DEPRECATED");
        assertThat(text).doesNotContain("pulse_window_conversion_ratio_ratio", "pulse_rolling_dau_ratio");
    }

    @Test
    void shouldCountTheSameAlertsInTheDeprecatedFamilyAsInTheSumOverCommunitiesWhenAlertsArrive() throws IOException {
        PulseBoard b = new PulseBoard(1, 10, now::get);
        b.acceptMetric(rolling("c1", BEGINNING, 9, 10));
        b.acceptMetric(rolling("c2", BEGINNING, 3, 10));
        b.acceptAlert(alert("a1", "NEGATIVE_MESSAGE", "warning", "c1", null));
        b.acceptAlert(alert("a2", "NEGATIVE_MESSAGE", "warning", "c2", null));
        b.acceptAlert(alert("a3", "NEGATIVE_MESSAGE", "warning", "c2", null));

        assertThat(scrape(b)).contains("pulse_alerts_total{community=\"c1\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 1.0",
                "pulse_alerts_total{community=\"other\",severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 2.0",
                "pulse_alert_types_total{severity=\"warning\",type=\"NEGATIVE_MESSAGE\"} 3.0");
    }
}
