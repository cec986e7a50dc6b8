package com.communitypulse.connectors.dispatcher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing per the Standard Webhooks specification (standardwebhooks.com): the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, HMAC-SHA256 keyed with the base64-decoded part of
 * a {@code whsec_<base64>} secret, sent as {@code webhook-signature: v1,<base64>}.
 */
public final class StandardWebhooks {

    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    private StandardWebhooks() {}

    /** @throws IllegalArgumentException if the secret is not {@code whsec_} followed by base64 */
    public static byte[] decodeSecret(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("webhook secret is missing");
        }
        String b64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            byte[] key = Base64.getDecoder().decode(b64);
            if (key.length < 16) {
                throw new IllegalArgumentException("webhook secret is shorter than 16 bytes: generate one with 'openssl rand -base64 32' and prefix whsec_");
            }
            return key;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("webhook secret")) {
                throw e;
            }
            throw new IllegalArgumentException("webhook secret is not whsec_<base64>: generate one with 'openssl rand -base64 32' and prefix whsec_");
        }
    }

    /** {@code v1,<base64 signature>} for one attempt. */
    public static String sign(byte[] key, String id, long timestampSeconds, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, id, timestampSeconds, body));
    }

    static byte[] hmac(byte[] key, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
