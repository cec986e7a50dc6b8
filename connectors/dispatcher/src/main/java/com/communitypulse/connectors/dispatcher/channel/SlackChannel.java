package com.communitypulse.connectors.dispatcher.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Slack incoming webhook: {@code {"text": <mrkdwn>}} to {@code https://hooks.slack.com/services/...}.
 * Slack answers 200 {@code ok}; 429 carries Retry-After, which the retry honours.
 */
public final class SlackChannel extends Channel {

    static final int MAX_CHARS = 35_000;
    private final Duration timeout;

    public SlackChannel(String name, URI url, Duration timeout, ObjectMapper mapper) {
        super(name, url, mapper);
        this.timeout = timeout;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public byte[] body(Message m) {
        AlertText.Text t = AlertText.fit(AlertText.of(m, name), MAX_CHARS, SlackChannel::render);
        ObjectNode o = mapper.createObjectNode();
        o.put("text", render(t));
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String render(AlertText.Text t) {
        StringBuilder sb = new StringBuilder("*").append(escape(t.title())).append("*");
        for (String l : t.lines()) {
            sb.append("\n").append(escape(l));
        }
        return sb.toString();
    }

    /** Slack mrkdwn reserves &, < and > for entities and links. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public HttpRequest.Builder request(Message m, byte[] body, long nowMillis) {
        return post(url, body, timeout);
    }
}
