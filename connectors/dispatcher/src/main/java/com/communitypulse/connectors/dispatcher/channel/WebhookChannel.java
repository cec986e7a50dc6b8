package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.communitypulse.connectors.dispatcher.StandardWebhooks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Generic JSON webhook signed per Standard Webhooks. Body:
 * {@code {"type":"alert","id":...,"channel":...,"text":...,"alert":{<the pulse.alerts record>}}} or, for
 * a digest, {@code {"type":"digest","id":...,"count":n,"text":...,"alerts":[...all n records...]}}.
 * {@code webhook-id} is the message id, identical on retries and redeliveries: receivers de-duplicate on it.
 */
public final class WebhookChannel extends Channel {

    private final byte[] key;
    private final Duration timeout;

    public WebhookChannel(String name, URI url, String secret, Duration timeout, ObjectMapper mapper) {
        super(name, url, mapper);
        this.key = StandardWebhooks.decodeSecret(secret);
        this.timeout = timeout;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public byte[] body(Message m) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", m.kind());
        o.put("id", m.id());
        o.put("channel", name);
        o.put("text", AlertText.of(m, name).plain());
        if (m.isDigest()) {
            o.put("count", m.alerts().size());
            ArrayNode arr = o.putArray("alerts");
            for (Alert a : m.alerts()) {
                arr.add(a.json());
            }
        } else {
            o.set("alert", m.alerts().get(0).json());
        }
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public HttpRequest.Builder request(Message m, byte[] body, long nowMillis) {
        long ts = nowMillis / 1000;
        return post(url, body, timeout)
                .header(StandardWebhooks.HEADER_ID, m.id())
                .header(StandardWebhooks.HEADER_TIMESTAMP, Long.toString(ts))
                .header(StandardWebhooks.HEADER_SIGNATURE, StandardWebhooks.sign(key, m.id(), ts, body));
    }
}
