package com.communitypulse.connectors.dispatcher.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for the chat services' incoming-webhook endpoints that checks each request the way
 * the service documents it and answers the way it does: WeCom group robot ({@code /wecom}), DingTalk
 * custom robot ({@code /dingtalk}, keyword and signature security), Slack incoming webhook with Block
 * Kit ({@code /slack}) and Feishu/Lark custom bot ({@code /feishu}, keyword and signature security). A
 * request that the real service would reject is answered with that service's error and recorded with
 * the reason in {@link Received#problems()}.
 */
public final class ChatServiceReceiver implements AutoCloseable {

    public record Received(String service, String query, JsonNode body, List<String> problems) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Received> requests = new ArrayList<>();
    /** Robot security settings: a required keyword, a signing secret (null = off). */
    public volatile String dingKeyword;
    public volatile String dingSecret;
    public volatile String feishuKeyword;
    public volatile String feishuSecret;

    public ChatServiceReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/wecom", ex -> handle(ex, "wecom"));
        server.createContext("/dingtalk", ex -> handle(ex, "dingtalk"));
        server.createContext("/slack", ex -> handle(ex, "slack"));
        server.createContext("/feishu", ex -> handle(ex, "feishu"));
        server.setExecutor(pool);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    public Received last() {
        List<Received> r = requests();
        return r.get(r.size() - 1);
    }

    private void handle(HttpExchange ex, String service) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        List<String> problems = new ArrayList<>();
        JsonNode body = null;
        if (!"POST".equals(ex.getRequestMethod())) {
            problems.add("method " + ex.getRequestMethod());
        }
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null || !ct.startsWith("application/json")) {
            problems.add("Content-Type " + ct);
        }
        try {
            body = MAPPER.readTree(raw);
        } catch (IOException e) {
            problems.add("not JSON");
        }
        String query = ex.getRequestURI().getRawQuery();
        String[] resp;
        if (body == null || !body.isObject()) {
            problems.add("body is not a JSON object");
            resp = error(service);
        } else {
            resp = switch (service) {
                case "wecom" -> wecom(query, body, raw, problems);
                case "dingtalk" -> dingtalk(query, body, problems);
                case "slack" -> slack(body, problems);
                default -> feishu(body, problems);
            };
        }
        synchronized (requests) {
            requests.add(new Received(service, query, body, problems));
        }
        byte[] out = resp[1].getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", service.equals("slack") ? "text/plain" : "application/json");
        ex.sendResponseHeaders(Integer.parseInt(resp[0]), out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static String[] error(String service) {
        return switch (service) {
            case "slack" -> new String[] {"400", "invalid_payload"};
            case "feishu" -> new String[] {"200", "{\"code\":9499,\"msg\":\"Bad Request\",\"data\":{}}"};
            default -> new String[] {"200", "{\"errcode\":40035,\"errmsg\":\"invalid parameter\"}"};
        };
    }

    /** WeCom group robot: key in the URL; msgtype text (content, mentioned_list, mentioned_mobile_list) or markdown (content ≤ 4096 bytes). */
    private String[] wecom(String query, JsonNode b, byte[] raw, List<String> problems) {
        if (query == null || !query.contains("key=")) {
            problems.add("no key in the URL");
            return new String[] {"200", "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"};
        }
        String type = b.path("msgtype").asText("");
        switch (type) {
            case "markdown" -> {
                JsonNode c = b.path("markdown").path("content");
                if (!c.isTextual() || c.asText().isBlank()) {
                    problems.add("markdown.content missing");
                } else if (c.asText().getBytes(StandardCharsets.UTF_8).length > 4096) {
                    problems.add("markdown.content over 4096 bytes");
                }
            }
            case "text" -> {
                if (!b.path("text").path("content").isTextual()) {
                    problems.add("text.content missing");
                }
                for (String f : new String[] {"mentioned_list", "mentioned_mobile_list"}) {
                    JsonNode l = b.path("text").path(f);
                    if (!l.isMissingNode() && !(l.isArray() && allText(l))) {
                        problems.add("text." + f + " is not an array of strings");
                    }
                }
            }
            default -> problems.add("msgtype '" + type + "'");
        }
        return problems.isEmpty() ? new String[] {"200", "{\"errcode\":0,\"errmsg\":\"ok\"}"}
                : new String[] {"200", "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}"};
    }

    /** DingTalk custom robot: access_token, optional timestamp+sign, keyword security, msgtype markdown (title, text), at. */
    private String[] dingtalk(String query, JsonNode b, List<String> problems) {
        Map<String, String> q = query(query);
        if (!q.containsKey("access_token")) {
            problems.add("no access_token");
            return new String[] {"200", "{\"errcode\":300001,\"errmsg\":\"token is not exist\"}"};
        }
        if (dingSecret != null) {
            String ts = q.get("timestamp");
            String sign = q.get("sign");
            if (ts == null || sign == null || Math.abs(System.currentTimeMillis() - Long.parseLong(ts)) > 3_600_000
                    || !hmacB64(dingSecret.getBytes(StandardCharsets.UTF_8), ts + "\n" + dingSecret).equals(URLDecoder.decode(sign, StandardCharsets.UTF_8))) {
                problems.add("bad sign");
                return new String[] {"200", "{\"errcode\":310000,\"errmsg\":\"sign not match\"}"};
            }
        }
        if (!"markdown".equals(b.path("msgtype").asText())) {
            problems.add("msgtype '" + b.path("msgtype").asText() + "'");
        }
        JsonNode md = b.path("markdown");
        if (!md.path("title").isTextual() || md.path("title").asText().isBlank() || !md.path("text").isTextual()) {
            problems.add("markdown.title/text missing");
        }
        JsonNode at = b.path("at");
        if (!at.isMissingNode()) {
            for (String f : new String[] {"atUserIds", "atMobiles"}) {
                JsonNode l = at.path(f);
                if (!l.isMissingNode() && !(l.isArray() && allText(l))) {
                    problems.add("at." + f + " is not an array of strings");
                }
                // DingTalk only notifies a person whose @id also appears in the text.
                l.forEach(id -> {
                    if (!md.path("text").asText().contains("@" + id.asText())) {
                        problems.add("@" + id.asText() + " not in markdown.text");
                    }
                });
            }
            if (!at.path("isAtAll").isMissingNode() && !at.path("isAtAll").isBoolean()) {
                problems.add("at.isAtAll is not a boolean");
            }
        }
        if (dingKeyword != null && !(md.path("title").asText().contains(dingKeyword) || md.path("text").asText().contains(dingKeyword))) {
            problems.add("keyword missing");
            return new String[] {"200", "{\"errcode\":310000,\"errmsg\":\"keywords not in content\"}"};
        }
        return problems.isEmpty() ? new String[] {"200", "{\"errcode\":0,\"errmsg\":\"ok\"}"}
                : new String[] {"200", "{\"errcode\":40035,\"errmsg\":\"缺少参数 json\"}"};
    }

    /** Slack incoming webhook with Block Kit: text fallback, blocks of known types within Block Kit's limits. */
    private String[] slack(JsonNode b, List<String> problems) {
        if (!b.path("text").isTextual() || b.path("text").asText().isBlank()) {
            problems.add("no text fallback");
        }
        JsonNode blocks = b.path("blocks");
        if (!blocks.isMissingNode()) {
            if (!blocks.isArray() || blocks.size() == 0 || blocks.size() > 50) {
                problems.add("blocks must be an array of 1..50");
            }
            Set<String> actionIds = new HashSet<>();
            for (JsonNode bl : blocks) {
                String type = bl.path("type").asText();
                switch (type) {
                    case "header" -> textObject(bl.path("text"), Set.of("plain_text"), 150, "header.text", problems);
                    case "section" -> textObject(bl.path("text"), Set.of("plain_text", "mrkdwn"), 3000, "section.text", problems);
                    case "context" -> {
                        if (!bl.path("elements").isArray() || bl.path("elements").size() == 0 || bl.path("elements").size() > 10) {
                            problems.add("context.elements must be 1..10");
                        }
                        bl.path("elements").forEach(e -> textObject(e, Set.of("plain_text", "mrkdwn"), 3000, "context element", problems));
                    }
                    case "actions" -> {
                        if (!bl.path("elements").isArray() || bl.path("elements").size() == 0 || bl.path("elements").size() > 25) {
                            problems.add("actions.elements must be 1..25");
                        }
                        for (JsonNode e : bl.path("elements")) {
                            if (!"button".equals(e.path("type").asText())) {
                                problems.add("actions element type " + e.path("type").asText());
                                continue;
                            }
                            textObject(e.path("text"), Set.of("plain_text"), 75, "button.text", problems);
                            String url = e.path("url").asText("");
                            if (!e.path("url").isMissingNode() && (url.length() > 3000 || !(url.startsWith("https://") || url.startsWith("http://")))) {
                                problems.add("button.url invalid");
                            }
                            String id = e.path("action_id").asText("");
                            if (id.length() > 255 || (!id.isEmpty() && !actionIds.add(id))) {
                                problems.add("action_id invalid or repeated");
                            }
                            if (e.has("style") && !Set.of("primary", "danger").contains(e.path("style").asText())) {
                                problems.add("button.style " + e.path("style").asText());
                            }
                        }
                    }
                    case "divider" -> { }
                    default -> problems.add("block type '" + type + "'");
                }
            }
        }
        return problems.isEmpty() ? new String[] {"200", "ok"} : new String[] {"400", "invalid_blocks"};
    }

    private static void textObject(JsonNode t, Set<String> types, int max, String where, List<String> problems) {
        if (!types.contains(t.path("type").asText())) {
            problems.add(where + ".type " + t.path("type").asText());
        }
        if (!t.path("text").isTextual() || t.path("text").asText().isEmpty() || t.path("text").asText().length() > max) {
            problems.add(where + ".text missing or over " + max + " chars");
        }
    }

    /** Feishu/Lark custom bot: optional timestamp+sign in the body, keyword security, msg_type text/post/interactive. */
    private String[] feishu(JsonNode b, List<String> problems) {
        if (feishuSecret != null) {
            String ts = b.path("timestamp").asText(null);
            String sign = b.path("sign").asText(null);
            boolean ok = ts != null && sign != null && b.path("timestamp").isTextual()
                    && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ts)) <= 3600
                    && hmacB64((ts + "\n" + feishuSecret).getBytes(StandardCharsets.UTF_8), "").equals(sign);
            if (!ok) {
                problems.add("bad sign");
                return new String[] {"200", "{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour from current time\",\"data\":{}}"};
            }
        }
        String type = b.path("msg_type").asText("");
        StringBuilder allText = new StringBuilder();
        switch (type) {
            case "text" -> allText.append(b.path("content").path("text").asText(""));
            case "interactive" -> {
                JsonNode card = b.path("card");
                if (!card.isObject()) {
                    problems.add("card missing");
                    break;
                }
                JsonNode title = card.path("header").path("title");
                if (!"plain_text".equals(title.path("tag").asText()) || !title.path("content").isTextual()) {
                    problems.add("card.header.title must be plain_text with content");
                }
                String tpl = card.path("header").path("template").asText("blue");
                if (!Set.of("blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey").contains(tpl)) {
                    problems.add("card.header.template " + tpl);
                }
                allText.append(title.path("content").asText(""));
                if (!card.path("elements").isArray() || card.path("elements").size() == 0) {
                    problems.add("card.elements missing");
                }
                for (JsonNode e : card.path("elements")) {
                    switch (e.path("tag").asText()) {
                        case "div" -> {
                            if (!Set.of("plain_text", "lark_md").contains(e.path("text").path("tag").asText()) || !e.path("text").path("content").isTextual()) {
                                problems.add("div.text must be plain_text/lark_md with content");
                            }
                            allText.append('\n').append(e.path("text").path("content").asText(""));
                        }
                        case "action" -> e.path("actions").forEach(a -> {
                            if (!"button".equals(a.path("tag").asText()) || !"plain_text".equals(a.path("text").path("tag").asText())
                                    || !a.path("url").asText("").startsWith("http")) {
                                problems.add("action button must have tag button, plain_text text and a url");
                            }
                        });
                        case "hr", "note", "markdown" -> { }
                        default -> problems.add("card element tag " + e.path("tag").asText());
                    }
                }
            }
            case "post" -> allText.append(b.path("content").toString());
            default -> problems.add("msg_type '" + type + "'");
        }
        if (feishuKeyword != null && !allText.toString().contains(feishuKeyword)) {
            problems.add("keyword missing");
            return new String[] {"200", "{\"code\":19024,\"msg\":\"Key Words Not Found\",\"data\":{}}"};
        }
        return problems.isEmpty() ? new String[] {"200", "{\"StatusCode\":0,\"StatusMessage\":\"success\",\"code\":0,\"data\":{},\"msg\":\"success\"}"}
                : new String[] {"200", "{\"code\":9499,\"msg\":\"Bad Request\",\"data\":{}}"};
    }

    private static boolean allText(JsonNode arr) {
        for (JsonNode n : arr) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String hmacB64(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new HashMap<>();
        if (q == null) {
            return m;
        }
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) {
                m.put(kv.substring(0, i), kv.substring(i + 1));
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
