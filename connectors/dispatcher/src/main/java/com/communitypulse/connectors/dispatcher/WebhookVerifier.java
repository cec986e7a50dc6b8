package com.communitypulse.connectors.dispatcher;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Receiver-side check of a Standard Webhooks signature, for services that receive the dispatcher's
 * generic webhook. It has no dependency beyond the JDK, so receivers may copy it.
 *
 * <pre>{@code
 * // in your HTTP handler, with the raw request body bytes (before any JSON parsing):
 * WebhookVerifier.verify("whsec_...", exchange.getRequestHeaders(), body);   // throws if invalid
 * // then de-duplicate on the webhook-id header: retries carry the same id
 * }</pre>
 *
 * <p>Rejects a missing header, a timestamp more than five minutes from now (replays), and any
 * signature that does not match; comparison is constant-time. Several space-separated signatures are
 * accepted (key rotation): one matching {@code v1} signature suffices.
 */
public final class WebhookVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookVerifier() {}

    /** Thrown when a request must be rejected; the message says why (never the expected signature). */
    public static final class VerificationException extends RuntimeException {
        VerificationException(String message) {
            super(message);
        }
    }

    /**
     * @param headers header names are matched case-insensitively; values may be {@code String} or
     *                {@code List<String>} (e.g. {@code com.sun.net.httpserver.Headers})
     * @throws VerificationException if the request is not authentic or too old
     */
    public static void verify(String secret, Map<String, ?> headers, byte[] body) {
        verify(secret, headers, body, Instant.now(), DEFAULT_TOLERANCE);
    }

    public static boolean isValid(String secret, Map<String, ?> headers, byte[] body) {
        try {
            verify(secret, headers, body);
            return true;
        } catch (VerificationException e) {
            return false;
        }
    }

    public static void verify(String secret, Map<String, ?> headers, byte[] body, Instant now, Duration tolerance) {
        String id = header(headers, StandardWebhooks.HEADER_ID);
        String ts = header(headers, StandardWebhooks.HEADER_TIMESTAMP);
        String sigs = header(headers, StandardWebhooks.HEADER_SIGNATURE);
        long seconds;
        try {
            seconds = Long.parseLong(ts.trim());
        } catch (NumberFormatException e) {
            throw new VerificationException("webhook-timestamp is not a number of seconds");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw new VerificationException("webhook-timestamp is outside the tolerance of " + tolerance.toSeconds() + " s");
        }
        byte[] key;
        try {
            key = StandardWebhooks.decodeSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new VerificationException(e.getMessage());
        }
        byte[] expected = StandardWebhooks.hmac(key, id, seconds, body == null ? new byte[0] : body);
        for (String candidate : sigs.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new VerificationException("no matching v1 signature");
    }

    private static String header(Map<String, ?> headers, String name) {
        for (Map.Entry<String, ?> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                Object v = e.getValue();
                if (v instanceof List<?> l && !l.isEmpty()) {
                    v = l.get(0);
                }
                if (v instanceof String s && !s.isEmpty()) {
                    return s;
                }
            }
        }
        throw new VerificationException("missing header " + name);
    }
}
