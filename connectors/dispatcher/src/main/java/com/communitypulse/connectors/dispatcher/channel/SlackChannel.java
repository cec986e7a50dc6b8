package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Slack incoming webhook ({@code https://hooks.slack.com/services/...}) with Block Kit: a {@code header}
 * (the template's first line, plain text), a {@code section} (the rest, mrkdwn), a {@code context} (community
 * and alert id) and, with a link template, an {@code actions} block whose button opens the link; plus the
 * whole text as {@code text}, the fallback Slack shows in notifications. Slack answers 200 {@code ok};
 * 429 carries Retry-After, which the retry honours.
 */
public final class SlackChannel extends Channel {

    static final int MAX_CHARS = 35_000;
    /** Block Kit limits: header text 150 chars, section text 3000, button text 75, url 3000. */
    static final int HEADER_MAX = 150;
    static final int SECTION_MAX = 3000;
    static final int URL_MAX = 3000;
    private final Duration timeout;
    private final Presentation p;

    public SlackChannel(String name, URI url, Duration timeout, ObjectMapper mapper, Presentation p) {
        super(name, url, mapper);
        this.timeout = timeout;
        this.p = p;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public byte[] body(Message m) {
        String mentions = String.join(" ", p.moderators(m, type()).stream().map(id -> "<@" + id + ">").toList());
        String text;
        String header;
        String link = "";
        String context;
        if (m.isDigest()) {
            AlertText.Text t = AlertText.fit(AlertText.of(m, name, p.style()), SECTION_MAX, SlackChannel::render);
            text = p.withKeyword(render(t)) + (mentions.isEmpty() ? "" : "\n" + mentions);
            header = p.withKeyword(t.title());
            context = "`" + m.id() + "`";
        } else {
            Alert a = m.alerts().get(0);
            Map<String, String> f = p.fields(a, name);
            f.put("mentions", mentions);
            text = p.render(f, SlackChannel::escape, Set.of("mentions", "link"), c -> c.length() <= SECTION_MAX);
            // The header is plain_text: rendered from the same template without mrkdwn escaping.
            header = DingTalkChannel.titleOf(p.render(f, x -> x, Set.of(), c -> true));
            link = f.get("link");
            context = escape(f.get("community")) + " · `" + a.communityId() + "` · `" + a.alertId() + "`";
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("text", text);
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode h = blocks.addObject().put("type", "header");
        h.putObject("text").put("type", "plain_text").put("text", cut(header, HEADER_MAX)).put("emoji", true);
        String[] parts = text.split("\n", 2);
        String section = parts.length > 1 && !parts[1].isBlank() ? parts[1] : text;
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", cut(section, SECTION_MAX));
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn").put("text", context);
        if (!link.isEmpty() && link.length() <= URL_MAX) {
            ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject();
            button.put("type", "button").put("action_id", "open_alert").put("url", link)
                    .putObject("text").put("type", "plain_text").put("text", p.lang().t("button"));
            if (m.alerts().get(0).severityRank() >= 2) {
                button.put("style", "danger");
            } else {
                button.put("style", "primary");
            }
        }
        try {
            return mapper.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
