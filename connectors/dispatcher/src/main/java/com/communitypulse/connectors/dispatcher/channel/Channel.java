package com.communitypulse.connectors.dispatcher.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One configured destination. Subclasses decide the body (computed once per message, so retries
 * resend the same bytes), the per-attempt request (signatures carry the attempt's time) and how a
 * response is judged. The URL usually embeds a token: it must never appear in logs or errors.
 */
public abstract class Channel {

    protected final String name;
    protected final URI url;
    protected final ObjectMapper mapper;

    protected Channel(String name, URI url, ObjectMapper mapper) {
        this.name = name;
        this.url = url;
        this.mapper = mapper;
    }

    public String name() {
        return name;
    }

    public abstract String type();

    public abstract byte[] body(Message m);

    /** The request for one attempt; {@code nowMillis} feeds per-attempt signatures. */
    public abstract HttpRequest.Builder request(Message m, byte[] body, long nowMillis);

    /** 2xx is delivered; 408, 425, 429 and 5xx are retried (honouring Retry-After); other statuses fail at once. */
    public Outcome classify(int status, HttpHeaders headers, String body) {
        return classifyHttp(status, headers);
    }

    protected final Outcome classifyHttp(int status, HttpHeaders headers) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        String err = "HTTP " + status;
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return Outcome.retry(err, retryAfterMs(headers));
        }
        return Outcome.fail(err + " (not retried: check the channel URL and credentials)");
    }

    protected HttpRequest.Builder post(URI target, byte[] body, Duration timeout) {
        return HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "community-pulse-dispatcher")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /**
     * Chat robots (WeCom, DingTalk) answer HTTP 200 with {@code errcode}; those listed as transient
     * (rate limited, system busy) are retried, any other non-zero code fails.
     */
    protected Outcome classifyErrcode(int status, HttpHeaders headers, String body, java.util.Set<Integer> transientCodes) {
        Outcome http = classifyHttp(status, headers);
        if (http.kind() != Outcome.Kind.DELIVERED) {
            return http;
        }
        JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (Exception e) {
            return Outcome.retry("unreadable response from " + type() + " robot", 0);
        }
        int code = n == null ? -1 : n.path("errcode").asInt(0);
        if (code == 0) {
            return Outcome.DELIVERED;
        }
        String err = type() + " errcode " + code + " " + n.path("errmsg").asText("");
        return transientCodes.contains(code) ? Outcome.retry(err, 0) : Outcome.fail(err + " (not retried)");
    }

    static long retryAfterMs(HttpHeaders headers) {
        return headers.firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim()) * 1000;
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
    }
}
