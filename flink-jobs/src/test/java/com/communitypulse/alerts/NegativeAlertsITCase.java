package com.communitypulse.alerts;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventJson;
import com.communitypulse.events.EventKind;
import com.communitypulse.events.PulseEvent;
import com.communitypulse.job.PulseJob;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode end to end (MiniCluster, parallelism 2, no Kryo): four hours of neutral and positive chat
 * in three communities, a 20-minute complaint episode by six members in c1, and one member flooding
 * complaints in c2.
 */
class NegativeAlertsITCase {
    static final long EPISODE = BEGINNING + 2 * ONE_HOUR;
    static final long EPISODE_LENGTH = 20 * ONE_MINUTE;
    static final List<String> CALM = List.of("今天的团购什么时候开始？", "谢谢群主，东西很好用", "when does the next sale start?",
            "love it, great deal", "好的收到", "nice, thanks for sharing", "这个链接还能用吗", "got mine yesterday, looks great");
    static final List<String> COMPLAINTS = List.of("质量太差了，要求退款", "this is a scam, I want a refund", "收到的是假货，太失望了，退钱",
            "terrible quality, the package never arrived, I want my money back", "客服根本不理人，差评，我要投诉",
            "worst purchase ever, broken on arrival, refund now");
    private static final ObjectMapper OM = new ObjectMapper();

    @TempDir static Path tmp;
    static Path input;
    static int episodeComplaints;
    static int floodComplaints;
    static List<JsonNode> alerts;
    static List<String> metricsLines;

    @BeforeAll
    static void runOnce() throws Exception {
        input = Files.createDirectories(tmp.resolve("in"));
        List<String> lines = new ArrayList<>();
        int seq = 0;
        for (long t = BEGINNING; t < BEGINNING + 4 * ONE_HOUR; t += ONE_MINUTE) {
            int minute = (int) ((t - BEGINNING) / ONE_MINUTE);
            for (String c : List.of("c1", "c2", "c3")) {
                // one or two calm messages a minute from a pool of eight members per community
                for (int k = 0; k < 1 + (minute + c.hashCode()) % 2; k++) {
                    String text = CALM.get((minute + k + c.charAt(1)) % CALM.size());
                    lines.add(json(PulseEvent.message("m" + (seq++), c, c + "-m" + ((minute + 3 * k) % 8), t + (7 + 20 * k) * ONE_SECOND,
                            EventKind.POST, text)));
                }
            }
            if (t >= EPISODE && t < EPISODE + EPISODE_LENGTH && minute % 2 == 0) {
                for (int a = 0; a < 6; a++) {
                    lines.add(json(PulseEvent.message("m" + (seq++), "c1", "angry" + a, t + (30 + a) * ONE_SECOND, EventKind.COMMENT,
                            COMPLAINTS.get((a + minute) % COMPLAINTS.size()))));
                    episodeComplaints++;
                }
            }
            if (t >= BEGINNING + ONE_HOUR && t < BEGINNING + ONE_HOUR + 15 * ONE_MINUTE) {
                lines.add(json(PulseEvent.message("m" + (seq++), "c2", "flooder", t + 45 * ONE_SECOND, EventKind.POST, COMPLAINTS.get(minute % 6))));
                floodComplaints++;
            }
        }
        Files.write(input.resolve("pulse.messages.jsonl"), lines, StandardCharsets.UTF_8);
        Path out = run("run1");
        alerts = readJson(out.resolve("pulse.alerts.jsonl"));
        metricsLines = Files.readAllLines(out.resolve("pulse.metrics.jsonl"), StandardCharsets.UTF_8);
        System.out.println(lines.size() + " messages (" + episodeComplaints + " episode complaints, " + floodComplaints + " flood), "
                + alerts.size() + " alerts:");
        alerts.forEach(System.out::println);
    }

    @Test
    void shouldFireSpikeWithinFifteenMinutesAndResolveWhenEpisodeEnds() {
        List<JsonNode> c1 = spikes("c1");
        assertThat(c1).extracting(a -> a.get("state").asText()).containsExactly("firing", "resolved");
        JsonNode firing = c1.get(0);
        assertThat(firing.get("event_ts").asLong()).isBetween(EPISODE, EPISODE + 15 * ONE_MINUTE);
        assertThat(c1.get(1).get("event_ts").asLong()).isGreaterThan(EPISODE + EPISODE_LENGTH);
        JsonNode ev = firing.get("evidence");
        assertThat(ev.get("distinct_negative_authors").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(ev.get("ratio").asDouble()).isGreaterThanOrEqualTo(0.4);
        assertThat(ev.get("most_negative")).isNotEmpty();
        assertThat(c1.get(1).get("evidence").get("firing_alert_id").asText()).isEqualTo(firing.get("alert_id").asText());
    }

    @Test
    void shouldNotFireSpikeWhenCommunityIsCalmOrOneMemberFloods() {
        assertThat(spikes("c2")).isEmpty();
        assertThat(spikes("c3")).isEmpty();
        assertThat(alerts).filteredOn(a -> a.get("community_id").asText().equals("c3")).isEmpty();
    }

    @Test
    void shouldAccountForEveryComplaintInMessageAlertsWhenRateLimited() {
        assertThat(messageHits("c1")).isEqualTo(episodeComplaints);
        assertThat(messageHits("c2")).isEqualTo(floodComplaints);
        // at most one alert per 5 minutes per community: the 20-minute episode gives a handful, not 60
        assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("NEGATIVE_MESSAGE") && a.get("community_id").asText().equals("c1"))
                .hasSizeBetween(2, 6);
    }

    @Test
    void shouldKeepChatTextOutOfOutputsWhenMessagesAreScored() throws Exception {
        String metrics = String.join("\n", metricsLines);
        String alertText = alerts.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
        for (String text : concat(CALM, COMPLAINTS)) {
            assertThat(metrics).doesNotContain(text);
            assertThat(alertText).doesNotContain(OM.writeValueAsString(text));
        }
        long negative = 0;
        for (String l : metricsLines) {
            JsonNode m = OM.readTree(l);
            if (m.get("community_id").asText().equals("c1") && m.path("window").asText().equals("PT1H")) {
                negative += m.get("metrics").path("sentiment_negative").asLong();
            }
        }
        assertThat(negative).as("scored sentiment reaches the window metrics").isEqualTo(episodeComplaints);
    }

    @Test
    void shouldMatchAlertSchemaWhenRecordsAreReal() {
        JsonSchema schema = AlertSchemas.load();
        assertThat(alerts).isNotEmpty();
        for (JsonNode a : alerts) {
            assertThat(AlertSchemas.validate(schema, a)).as(a.toString()).isEmpty();
        }
    }

    @Test
    void shouldProduceIdenticalAlertsWhenSameInputRunsAgain() throws Exception {
        List<JsonNode> again = readJson(run("run2").resolve("pulse.alerts.jsonl"));
        assertThat(withoutEmittedAt(again)).containsExactlyInAnyOrderElementsOf(withoutEmittedAt(alerts));
        assertThat(ids(again)).isEqualTo(ids(alerts));
    }

    private static Path run(String name) throws Exception {
        Path out = tmp.resolve(name);
        PulseConfig cfg = PulseConfig.of(Map.of("checkpoint.dir", tmp.resolve("cp-" + name).toUri().toString(), "metrics.prometheus-port", "0",
                "web.port", "0", "privacy.key-file", com.communitypulse.testutils.TestKeys.file(tmp.resolve("keys"))));
        PulseJob.runFiles(cfg, input, out);
        return out;
    }

    private static List<JsonNode> spikes(String community) {
        return alerts.stream().filter(a -> a.get("type").asText().equals("NEGATIVE_SPIKE") && a.get("community_id").asText().equals(community))
                .sorted((x, y) -> Long.compare(x.get("event_ts").asLong(), y.get("event_ts").asLong())).collect(Collectors.toList());
    }

    private static int messageHits(String community) {
        int n = 0;
        for (JsonNode a : alerts) {
            if (a.get("type").asText().equals("NEGATIVE_MESSAGE") && a.get("community_id").asText().equals(community)) {
                JsonNode ev = a.get("evidence");
                n += ev.get("kind").asText().equals("digest") ? ev.get("count").asInt() : 1;
            }
        }
        return n;
    }

    private static List<String> ids(List<JsonNode> l) {
        return l.stream().map(a -> a.get("alert_id").asText()).sorted().collect(Collectors.toList());
    }

    private static List<String> withoutEmittedAt(List<JsonNode> l) {
        return l.stream().map(a -> ((ObjectNode) a.deepCopy()).without("emitted_at").toString()).collect(Collectors.toList());
    }

    private static List<JsonNode> readJson(Path p) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String s : Files.readAllLines(p, StandardCharsets.UTF_8)) l.add(OM.readTree(s));
        return l;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static String json(PulseEvent e) {
        return new String(EventJson.toJson(e), StandardCharsets.UTF_8);
    }
}
