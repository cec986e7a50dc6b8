package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.flags.UsageException;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig.ChannelConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;

/** Builds a {@link Channel} from its config, resolving the URL and secret. */
public final class Channels {
    private Channels() {}

    public static Channel create(String name, ChannelConfig c, SecretResolver secrets, Duration timeout, ObjectMapper mapper) {
        String p = "channels." + name;
        String rawUrl = secrets.resolve(p + ".url", c.url);
        URI url;
        try {
            url = URI.create(rawUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException(p + ".url is not a valid URL: check the value (not printed: it may hold a token)");
        }
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http")) || url.getHost() == null) {
            throw new UsageException(p + ".url must be an http(s) URL with a host: check the value (not printed: it may hold a token)");
        }
        String secret = secrets.resolve(p + ".secret", c.secret);
        try {
            return switch (c.type) {
                case "webhook" -> new WebhookChannel(name, url, secret, timeout, mapper);
                case "wecom" -> new WeComChannel(name, url, timeout, mapper);
                case "dingtalk" -> new DingTalkChannel(name, url, secret, timeout, mapper);
                case "slack" -> new SlackChannel(name, url, timeout, mapper);
                default -> throw new UsageException(p + ".type '" + c.type + "' is unknown: use webhook, wecom, dingtalk or slack");
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(p + ".secret: " + e.getMessage());
        }
    }
}
