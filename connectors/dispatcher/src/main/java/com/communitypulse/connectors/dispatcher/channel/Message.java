package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One message to one channel: a single alert, or a digest of alerts held back by the rate limit.
 * The id is deterministic (the alert id, or a hash of the digest's alert ids) so that every retry and
 * every redelivery after a restart carries the same {@code webhook-id}.
 */
public final class Message {
    private final String id;
    private final List<Alert> alerts;
    private final boolean digest;

    private Message(String id, List<Alert> alerts, boolean digest) {
        this.id = id;
        this.alerts = List.copyOf(alerts);
        this.digest = digest;
    }

    public static Message single(Alert a) {
        return new Message(a.alertId(), List.of(a), false);
    }

    public static Message digest(List<Alert> alerts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            alerts.stream().map(Alert::alertId).sorted().forEach(id -> {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            });
            return new Message("digest_" + HexFormat.of().formatHex(sha.digest(), 0, 16), alerts, true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String id() {
        return id;
    }

    public List<Alert> alerts() {
        return alerts;
    }

    public boolean isDigest() {
        return digest;
    }

    public String kind() {
        return digest ? "digest" : "alert";
    }
}
