package com.communitypulse.connectors.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

    /** The published Standard Webhooks reference vector: a receiver's own library must accept what we send. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TS = 1614265330L;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant AT_SPEC_TIME = Instant.ofEpochSecond(SPEC_TS);

    @Test
    void shouldReproduceTheStandardWebhooksReferenceSignature() {
        assertThat(StandardWebhooks.sign(StandardWebhooks.decodeSecret(SPEC_SECRET), SPEC_ID, SPEC_TS, SPEC_BODY))
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void shouldAcceptTheReferenceRequestWhenHeadersAreListsInAnyCase() {
        Map<String, List<String>> headers = Map.of("Webhook-Id", List.of(SPEC_ID), "WEBHOOK-TIMESTAMP", List.of(Long.toString(SPEC_TS)),
                "webhook-signature", List.of(SPEC_SIGNATURE));
        assertThatCode(() -> WebhookVerifier.verify(SPEC_SECRET, headers, SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectWhenTheBodyIsTampered() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WebhookVerifier.verify(SPEC_SECRET, specHeaders(SPEC_SIGNATURE), tampered, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .isInstanceOf(WebhookVerifier.VerificationException.class).hasMessage("no matching v1 signature");
    }

    @Test
    void shouldRejectWhenTheSignatureOrIdIsTampered() {
        String flipped = SPEC_SIGNATURE.replace("g0hM", "g0hN");
        assertThatThrownBy(() -> WebhookVerifier.verify(SPEC_SECRET, specHeaders(flipped), SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .isInstanceOf(WebhookVerifier.VerificationException.class);
        Map<String, String> otherId = Map.of("webhook-id", "msg_other", "webhook-timestamp", Long.toString(SPEC_TS), "webhook-signature", SPEC_SIGNATURE);
        assertThatThrownBy(() -> WebhookVerifier.verify(SPEC_SECRET, otherId, SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .isInstanceOf(WebhookVerifier.VerificationException.class);
    }

    @Test
    void shouldRejectWhenTheSecretIsWrong() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        assertThatThrownBy(() -> WebhookVerifier.verify(other, specHeaders(SPEC_SIGNATURE), SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .isInstanceOf(WebhookVerifier.VerificationException.class);
    }

    @Test
    void shouldRejectAReplayOutsideTheTolerance() {
        assertThatThrownBy(() -> WebhookVerifier.verify(SPEC_SECRET, specHeaders(SPEC_SIGNATURE), SPEC_BODY,
                AT_SPEC_TIME.plus(Duration.ofMinutes(6)), Duration.ofMinutes(5)))
                .hasMessageContaining("tolerance");
    }

    @Test
    void shouldRejectWhenAHeaderIsMissing() {
        Map<String, String> noSig = Map.of("webhook-id", SPEC_ID, "webhook-timestamp", Long.toString(SPEC_TS));
        assertThatThrownBy(() -> WebhookVerifier.verify(SPEC_SECRET, noSig, SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .hasMessage("missing header webhook-signature");
    }

    @Test
    void shouldAcceptAnyMatchingSignatureDuringKeyRotation() {
        String both = "v1,bm9wZQ== " + SPEC_SIGNATURE;
        assertThatCode(() -> WebhookVerifier.verify(SPEC_SECRET, specHeaders(both), SPEC_BODY, AT_SPEC_TIME, Duration.ofMinutes(5)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRejectAMalformedSecretWithTheFix() {
        assertThatThrownBy(() -> StandardWebhooks.decodeSecret("whsec_not base64!"))
                .hasMessageContaining("openssl rand -base64 32");
    }

    private static Map<String, String> specHeaders(String signature) {
        return Map.of("webhook-id", SPEC_ID, "webhook-timestamp", Long.toString(SPEC_TS), "webhook-signature", signature);
    }
}
