package com.communitypulse.connectors.dispatcher.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * WeCom (企业微信) group robot: {@code {"msgtype":"markdown","markdown":{"content":...}}} to the robot's
 * {@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...} URL. Content is capped at WeCom's
 * 4096 bytes. The community's WeCom moderators are mentioned the way WeCom markdown does it, inline
 * {@code <@userid>} (the {@code mentioned_list} field belongs to msgtype text and is ignored for markdown).
 * errcode 45009 (frequency limit) and -1 (system busy) are retried.
 */
public final class WeComChannel extends Channel {

    static final int MAX_BYTES = 4096;
    private static final Set<Integer> TRANSIENT = Set.of(-1, 45009);
    private final Duration timeout;
    private final Presentation p;

    public WeComChannel(String name, URI url, Duration timeout, ObjectMapper mapper, Presentation p) {
        super(name, url, mapper);
        this.timeout = timeout;
        this.p = p;
    }

    @Override
    public String type() {
        return "wecom";
    }

    @Override
    public byte[] body(Message m) {
        String mentions = String.join(" ", p.moderators(m, type()).stream().map(id -> "<@" + id + ">").toList());
        String content;
        if (m.isDigest()) {
            // UTF-8 Chinese text is up to 3 bytes a char: fit by chars at a third of the byte cap, then check bytes.
            AlertText.Text t = AlertText.fit(AlertText.of(m, name, p.style()), MAX_BYTES / 3, WeComChannel::render);
            content = p.withKeyword(render(t)) + (mentions.isEmpty() ? "" : "\n" + mentions);
        } else {
            Map<String, String> f = p.fields(m.alerts().get(0), name);
            f.put("mentions", mentions);
            content = p.render(f, x -> x, Set.of("mentions", "link"), c -> c.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES);
        }
        while (content.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            content = content.substring(0, content.length() - 64);
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("msgtype", "markdown");
        o.putObject("markdown").put("content", content);
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String render(AlertText.Text t) {
        StringBuilder sb = new StringBuilder("**").append(t.title()).append("**");
        for (String l : t.lines()) {
            sb.append("\n> ").append(l);
        }
        return sb.toString();
    }

    @Override
    public HttpRequest.Builder request(Message m, byte[] body, long nowMillis) {
        return post(url, body, timeout);
    }

    @Override
    public Outcome classify(int status, HttpHeaders headers, String body) {
        return classifyErrcode(status, headers, body, TRANSIENT);
    }
}
