package com.communitypulse.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The sink-side rule for member ids (CONTRACT §8 outputs, docs/PRIVACY.md): the sealed in-job id becomes the
 * HMAC pseudonym in every record, except in alerts when {@code privacy.alerts.original-user-id}
 * is on, where it becomes the original id again (moderators must reach the member).
 */
public final class OutputIds implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Ids pass through and no key_id is written (unit tests of the JSON writers, pseudonymisation off). */
    public static final OutputIds NONE = new OutputIds(Pseudonymizer.disabled(), true);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pseudonymizer ids;
    private final boolean originalInAlerts;

    public OutputIds(Pseudonymizer ids, boolean originalInAlerts) {
        this.ids = ids;
        this.originalInAlerts = originalInAlerts;
    }

    /** The output id of a member in metric, lifecycle and late records. */
    public String member(String sealed) {
        return ids.external(sealed);
    }

    /** The key_id to write next to pseudonyms, or null when ids are not pseudonymised. */
    public String keyId() {
        return ids.keyId();
    }

    /** True when alerts carry pseudonyms (and so a key_id). */
    public boolean alertsPseudonymised() {
        return ids.isEnabled() && !originalInAlerts;
    }

    /** The output id of a member in an alert. */
    public String alertMember(String sealed) {
        return ids.isEnabled() && originalInAlerts ? ids.unseal(sealed) : ids.external(sealed);
    }

    /**
     * The alert evidence with every {@code "user_id"} string rewritten by {@link #alertMember}.
     * Alerts are rare, so a parse per alert is cheap; it keeps the evidence builders id-agnostic.
     */
    public String alertEvidence(String evidenceJson) {
        if (!ids.isEnabled() || evidenceJson == null || !evidenceJson.contains("\"user_id\"")) {
            return evidenceJson;
        }
        try {
            JsonNode root = JSON.readTree(evidenceJson);
            rewrite(root);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rewrite(JsonNode n) {
        if (n instanceof ObjectNode) {
            ObjectNode o = (ObjectNode) n;
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("user_id") && e.getValue().isTextual()) {
                    e.setValue(o.textNode(alertMember(e.getValue().asText())));
                } else {
                    rewrite(e.getValue());
                }
            }
        } else if (n instanceof ArrayNode) {
            n.forEach(this::rewrite);
        }
    }
}
