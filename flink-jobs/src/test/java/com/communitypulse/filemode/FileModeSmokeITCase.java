package com.communitypulse.filemode;

import static com.communitypulse.testutils.Instants.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.config.PulseConfig;
import com.communitypulse.events.EventJson;
import com.communitypulse.events.EventKind;
import com.communitypulse.job.PulseJob;
import com.communitypulse.testutils.Events;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModeSmokeITCase {
    @TempDir Path tmp;

    @Test
    void shouldWriteMetricsDeadLettersAndLateEventsWhenRunOverFiles() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        List<String> msgs = new ArrayList<>();
        msgs.add(json(Events.post("c1", "u1", BEGINNING)));
        String dup = json(Events.post("c1", "u2", BEGINNING + 5 * ONE_SECOND));
        msgs.add(dup);
        msgs.add(dup);
        msgs.add(json(Events.message("c1", "u3", BEGINNING + 10 * ONE_SECOND, EventKind.JOIN)));
        msgs.add("{not json");
        msgs.add(json(Events.post("c2", "u1", BEGINNING + 3 * ONE_HOUR)));
        msgs.add(json(Events.post("c2", "u9", BEGINNING + ONE_HOUR))); // 2 h behind: late
        msgs.add(json(Events.post("c2", "u1", BEGINNING + 3 * ONE_HOUR + 2 * ONE_MINUTE)));
        Files.write(in.resolve("pulse.messages.jsonl"), msgs, StandardCharsets.UTF_8);
        Files.write(in.resolve("pulse.orders.jsonl"), List.of(
                json(Events.click("u1", BEGINNING + ONE_MINUTE, "c1", "s1")).replace("\"kind\"", "\"kind\""),
                json(Events.paid("o1", "u1", BEGINNING + 2 * ONE_MINUTE, 1000, null, "s1"))), StandardCharsets.UTF_8);
        Path out = tmp.resolve("out");
        // The configured web port is taken (as by a running job or the demo): file mode must not need it.
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            PulseConfig cfg = PulseConfig.of(Map.of("checkpoint.dir", tmp.resolve("cp").toUri().toString(), "metrics.prometheus-port", "0",
                    "web.port", Integer.toString(taken.getLocalPort()),
                    "privacy.key-file", com.communitypulse.testutils.TestKeys.file(tmp.resolve("keys"))));
            PulseJob.runFiles(cfg, in, out);
        }

        ObjectMapper om = new ObjectMapper();
        List<JsonNode> metrics = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("pulse.metrics.jsonl"))) metrics.add(om.readTree(l));
        List<String> dlq = Files.readAllLines(out.resolve("pulse.dlq.jsonl"));
        List<String> late = Files.readAllLines(out.resolve("pulse.late.jsonl"));
        metrics.forEach(m -> System.out.println(m));
        dlq.forEach(System.out::println);
        late.forEach(System.out::println);
        // the click line in the orders file lacks order fields and is dead-lettered, like the broken JSON
        assertThat(dlq).hasSize(2);
        assertThat(late).hasSize(1);
        JsonNode c1minute = metrics.stream().filter(m -> m.get("community_id").asText().equals("c1") && m.path("window").asText().equals("PT1M")
                && m.get("window_start").asLong() == BEGINNING).findFirst().orElseThrow();
        assertThat(c1minute.get("metrics").get("messages").asLong()).isEqualTo(2);
        assertThat(c1minute.get("metrics").get("active_members").asLong()).isEqualTo(2);
        assertThat(c1minute.get("metrics").get("joins").asLong()).isEqualTo(1);
    }

    private static String json(com.communitypulse.events.PulseEvent e) {
        return new String(EventJson.toJson(e), StandardCharsets.UTF_8);
    }
}
