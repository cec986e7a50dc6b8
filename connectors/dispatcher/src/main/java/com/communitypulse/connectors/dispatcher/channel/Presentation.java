package com.communitypulse.connectors.dispatcher.channel;

import com.communitypulse.connectors.dispatcher.Alert;
import com.communitypulse.connectors.dispatcher.config.Directory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one chat channel writes its messages: the language and time zone ({@link AlertText.Style}), the
 * template (built in per channel type and language, or a custom file), the link template and the
 * keyword that keyword-secured robots require.
 */
public final class Presentation {

    /** Fields a link template may use; values are URL-encoded. */
    public static final Set<String> LINK_FIELDS = Set.of("alert_id", "community_id", "user_id", "type", "severity", "channel");

    private final AlertText.Style style;
    private final Template template;
    private final Template link;
    private final String keyword;

    public Presentation(AlertText.Style style, Template template, Template link, String keyword) {
        this.style = style;
        this.template = template;
        this.link = link;
        this.keyword = keyword == null || keyword.isBlank() ? null : keyword.trim();
    }

    /**
     * @param templateFile a custom template, or null for the built-in {@code templates/<type>.<lang>.md}
     * @param linkTemplate e.g. {@code https://console.example/alerts/{{alert_id}}}, or null for no link
     * @throws IllegalArgumentException naming the template or field that is wrong
     */
    public static Presentation of(String channelType, Lang lang, ZoneId zone, Directory directory, Path templateFile,
                                  String linkTemplate, String keyword) {
        String origin;
        String source;
        if (templateFile != null) {
            origin = templateFile.toString();
            try {
                source = Files.readString(templateFile);
            } catch (IOException e) {
                throw new IllegalArgumentException("template " + templateFile + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        } else {
            origin = builtIn(channelType, lang);
            source = resource(origin);
        }
        Template t = Template.parse(origin, source, AlertText.FIELDS);
        Template l = linkTemplate == null || linkTemplate.isBlank() ? null : Template.parse("link_template", linkTemplate.trim(), LINK_FIELDS);
        return new Presentation(new AlertText.Style(lang, zone, directory == null ? Directory.EMPTY : directory), t, l, keyword);
    }

    static String builtIn(String channelType, Lang lang) {
        return "templates/" + channelType + "." + lang.tag + ".md";
    }

    private static String resource(String name) {
        try (InputStream in = Presentation.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("built-in template " + name + " is missing from the dispatcher jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AlertText.Style style() {
        return style;
    }

    public Lang lang() {
        return style.lang();
    }

    public Template template() {
        return template;
    }

    public String keyword() {
        return keyword;
    }

    /** The alert's link, or "" without a link template. */
    public String link(Alert a, String channelName) {
        if (link == null) {
            return "";
        }
        return link.render(Map.of("alert_id", a.alertId(), "community_id", a.communityId(),
                "user_id", a.userId() == null ? "" : a.userId(), "type", a.type(), "severity", a.severity(), "channel", channelName),
                Presentation::urlEncode, Set.of());
    }

    static String urlEncode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Template values for one alert, without {@code mentions} (the channel adds them in its syntax). */
    public Map<String, String> fields(Alert a, String channelName) {
        Map<String, String> f = AlertText.fields(a, style);
        f.put("link", link(a, channelName));
        f.put("keyword", keyword == null ? "" : keyword + " ");
        f.put("channel", channelName);
        return f;
    }

    /** Prefixes the keyword when a (custom) template left it out: keyword-secured robots reject such messages. */
    public String withKeyword(String text) {
        return keyword == null || text.contains(keyword) ? text : keyword + " " + text;
    }

    /** Moderators to mention on this channel type for the message's communities, in order, without repeats. */
    public List<String> moderators(Message m, String channelType) {
        Set<String> out = new LinkedHashSet<>();
        for (Alert a : m.alerts()) {
            out.addAll(style.directory().moderators(a.communityId(), channelType));
        }
        return new ArrayList<>(out);
    }

    public List<String> moderatorMobiles(Message m, String channelType) {
        Set<String> out = new LinkedHashSet<>();
        for (Alert a : m.alerts()) {
            out.addAll(style.directory().moderatorMobiles(a.communityId(), channelType));
        }
        return new ArrayList<>(out);
    }

    /**
     * Renders the template for one alert, dropping trailing detail lines until {@code fits} accepts the
     * text (the first detail lines are the most important ones).
     */
    public String render(Map<String, String> fields, java.util.function.UnaryOperator<String> escape, Set<String> raw,
                         java.util.function.Predicate<String> fits) {
        List<String> details = new ArrayList<>(List.of(fields.getOrDefault("details", "").split("\n", -1)));
        Map<String, String> f = new java.util.HashMap<>(fields);
        String out = withKeyword(template.render(f, escape, raw));
        while (!fits.test(out) && !details.isEmpty() && !(details.size() == 1 && details.get(0).isEmpty())) {
            details.remove(details.size() - 1);
            f.put("details", String.join("\n", details));
            out = withKeyword(template.render(f, escape, raw));
        }
        return out;
    }
}
