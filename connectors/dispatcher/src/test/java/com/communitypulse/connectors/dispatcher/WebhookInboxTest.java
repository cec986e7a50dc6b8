package com.communitypulse.connectors.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.communitypulse.connectors.dispatcher.config.ConfigLoader;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookInboxTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldAcceptSignedMessagesOncePerIdAndRejectTamperedOnes() throws Exception {
        String secret = WebhookInbox.newSecret();
        try (WebhookInbox inbox = WebhookInbox.start(secret, 0)) {
            byte[] body = "{\"type\":\"alert\",\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
            long ts = System.currentTimeMillis() / 1000;
            String sig = StandardWebhooks.sign(StandardWebhooks.decodeSecret(secret), "msg_1", ts, body);

            assertThat(post(inbox, "msg_1", ts, sig, body)).isEqualTo(200);
            assertThat(post(inbox, "msg_1", ts, sig, body)).as("a retry of the same message").isEqualTo(200);
            byte[] tampered = "{\"type\":\"alert\",\"text\":\"hellO\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(post(inbox, "msg_1", ts, sig, tampered)).isEqualTo(401);
            String otherKey = StandardWebhooks.sign(StandardWebhooks.decodeSecret(WebhookInbox.newSecret()), "msg_2", ts, body);
            assertThat(post(inbox, "msg_2", ts, otherKey, body)).isEqualTo(401);

            assertThat(inbox.accepted()).isEqualTo(2);
            assertThat(inbox.distinctMessages()).isEqualTo(1);
            assertThat(inbox.rejected()).isEqualTo(2);
            assertThat(inbox.latest()).extracting(j -> j.get("text").asText()).containsExactly("hello", "hello");
        }
    }

    @Test
    void shouldWriteADispatcherConfigThatLoadsWithItsSecretPrivate(@TempDir Path dir) throws Exception {
        String secret = WebhookInbox.newSecret();
        try (WebhookInbox inbox = WebhookInbox.start(secret, 0)) {
            Path file = inbox.writeDispatcherConfig(dir, "127.0.0.1:9092", "demo-dispatcher");
            DispatcherConfig cfg = ConfigLoader.load(file);
            SecretResolver secrets = new SecretResolver(name -> null, Path.of(cfg.secretsFile));

            assertThat(cfg.validate().channels).containsOnlyKeys("inbox");
            assertThat(secrets.resolve("channels.inbox.secret", cfg.channels.get("inbox").secret)).isEqualTo(secret);
            assertThat(Files.readString(file)).doesNotContain(secret);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(cfg.secretsFile)))).isEqualTo("rw-------");
        }
    }

    private static int post(WebhookInbox inbox, String id, long ts, String signature, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(inbox.url()))
                .header(StandardWebhooks.HEADER_ID, id)
                .header(StandardWebhooks.HEADER_TIMESTAMP, Long.toString(ts))
                .header(StandardWebhooks.HEADER_SIGNATURE, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
