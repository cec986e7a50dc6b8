package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.flags.UsageException;
import com.communitypulse.connectors.dispatcher.config.DispatcherConfig.ChannelConfig;
import com.communitypulse.connectors.dispatcher.config.SecretResolver;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.communitypulse.connectors.dispatcher.config.Directory;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.Duration;

/** Builds a {@link Channel} from its config, resolving the URL and secret. */
public final class Channels {
    private Channels() {}

    /** With the defaults: Asia/Shanghai, no directory, no link. */
    public static Channel create(String name, ChannelConfig c, SecretResolver secrets, Duration timeout, ObjectMapper mapper) {
        return create(name, c, secrets, timeout, mapper, ZoneId.of("Asia/Shanghai"), Directory.EMPTY, null);
    }

    /**
     * @param zone         time zone of the times in chat messages
     * @param directory    display names and moderators
     * @param linkTemplate the top-level link template (a channel's own one wins), or null
     */
    public static Channel create(String name, ChannelConfig c, SecretResolver secrets, Duration timeout, ObjectMapper mapper,
                                 ZoneId zone, Directory directory, String linkTemplate) {
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
        Presentation pr = null;
        if (!c.type.equals("webhook")) {
            Lang lang = Lang.of(c.localeOrDefault());
            if (lang == null) {
                throw new UsageException(p + ".locale '" + c.locale + "' is not supported: use zh-CN or en");
            }
            try {
                pr = Presentation.of(c.type, lang, zone, directory, c.template == null ? null : Path.of(c.template),
                        c.linkTemplate != null ? c.linkTemplate : linkTemplate, c.keyword);
            } catch (IllegalArgumentException e) {
                throw new UsageException(p + ": " + e.getMessage());
            }
        }
        try {
            return switch (c.type) {
                case "webhook" -> new WebhookChannel(name, url, secret, timeout, mapper);
                case "wecom" -> new WeComChannel(name, url, timeout, mapper, pr);
                case "dingtalk" -> new DingTalkChannel(name, url, secret, timeout, mapper, pr);
                case "feishu" -> new FeishuChannel(name, url, secret, timeout, mapper, pr);
                case "slack" -> new SlackChannel(name, url, timeout, mapper, pr);
                default -> throw new UsageException(p + ".type '" + c.type + "' is unknown: use webhook, wecom, dingtalk, feishu or slack");
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(p + ".secret: " + e.getMessage());
        }
    }
}
