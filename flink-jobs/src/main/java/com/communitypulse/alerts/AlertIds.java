package com.communitypulse.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic alert ids: the same alert of a replay or a retried write gets the same id, so
 * consumers of the at-least-once alert topic de-duplicate on it (CONTRACT §6, §9).
 *
 * <p>The id is the first 32 hex digits (128 bits) of SHA-256 over the parts joined by U+001F (a
 * separator no id or community name contains; null parts become empty strings). Only event-time
 * facts may go into the parts: never {@code emitted_at}, never a counter that depends on arrival order.
 */
public final class AlertIds {
    private static final char SEP = '\u001f';
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AlertIds() {}

    /**
     * @param type alert type
     * @param communityId the community
     * @param userId the member for member alerts, else null
     * @param anchorTs the event time that identifies the alert (message time, episode start, interval start)
     * @param discriminators further parts that tell alerts with the same anchor apart (e.g. "firing", a message id)
     */
    public static String of(AlertType type, String communityId, String userId, long anchorTs, String... discriminators) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(type.name()).append(SEP).append(nz(communityId)).append(SEP).append(nz(userId)).append(SEP).append(anchorTs);
        for (String d : discriminators) {
            sb.append(SEP).append(nz(d));
        }
        byte[] h = sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(h[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[h[i] & 0xF];
        }
        return new String(out);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
