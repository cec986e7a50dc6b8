package com.communitypulse.connectors.dispatcher.config;

import com.communitypulse.flags.UsageException;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The optional directory file ({@code directory:} in the config): display names of communities and
 * members, and per community the moderators to @mention, per channel type. Everything is optional;
 * an id without an entry is shown as the id and mentions nobody.
 *
 * <pre>
 * communities:
 *   c42:
 *     name: 上海宝妈团购群
 *     members: {u7: 王小明}            # names valid in this community (override the global ones)
 *     moderators:
 *       wecom: [zhangsan]              # WeCom userid      -> &lt;@zhangsan&gt; in the markdown
 *       dingtalk: [manager4821]        # DingTalk userId   -> at.atUserIds and @manager4821
 *       feishu: [ou_7d8a6e6df7621556]  # Feishu open_id    -> &lt;at id=ou_…&gt;&lt;/at&gt;
 *       slack: [U024BE7LH]             # Slack member id   -> &lt;@U024BE7LH&gt;
 *     moderator_mobiles:
 *       dingtalk: ["13800000000"]      # -> at.atMobiles and @13800000000
 * members: {u9: 李雷}                   # names valid in every community
 * </pre>
 */
public final class Directory {

    static final List<String> MENTION_TYPES = List.of("wecom", "dingtalk", "feishu", "slack");
    static final List<String> MOBILE_TYPES = List.of("dingtalk");

    public static final Directory EMPTY = new Directory();

    public Map<String, Community> communities = new LinkedHashMap<>();
    public Map<String, String> members = new LinkedHashMap<>();

    public static final class Community {
        public String name;
        public Map<String, String> members = new LinkedHashMap<>();
        public Map<String, List<String>> moderators = new LinkedHashMap<>();
        @JsonProperty("moderator_mobiles") public Map<String, List<String>> moderatorMobiles = new LinkedHashMap<>();
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Directory load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("directory file " + file + " does not exist: fix 'directory:' in the config or remove it");
        } catch (IOException e) {
            throw new UsageException("directory file " + file + " cannot be read (" + e.getClass().getSimpleName() + "): check permissions");
        }
        return parse(text, file.toString());
    }

    public static Directory parse(String text, String origin) {
        Directory d;
        try {
            d = YAML.readValue(text, Directory.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new UsageException("directory " + origin + ": " + (path.isEmpty() ? "" : "at '" + path + "': ")
                    + e.getOriginalMessage().split("\n")[0].replaceAll(" \\(class [^)]*\\)", "")
                    + ": fix the entry (see the dispatcher README for the format)");
        } catch (IOException e) {
            throw new UsageException("directory " + origin + " is not valid YAML/JSON (" + e.getMessage().split("\n")[0] + "): fix the syntax");
        }
        if (d == null) {
            return EMPTY;
        }
        d.communities.forEach((id, c) -> {
            String p = "directory " + origin + ": communities." + id;
            if (c == null) {
                throw new UsageException(p + " is empty: give it a name, members or moderators, or remove it");
            }
            c.moderators.keySet().forEach(t -> {
                if (!MENTION_TYPES.contains(t)) {
                    throw new UsageException(p + ".moderators." + t + " is not a chat channel type that mentions: use " + MENTION_TYPES);
                }
            });
            c.moderatorMobiles.keySet().forEach(t -> {
                if (!MOBILE_TYPES.contains(t)) {
                    throw new UsageException(p + ".moderator_mobiles." + t + " is not supported: only " + MOBILE_TYPES
                            + " mentions by mobile; list ids under moderators." + t);
                }
            });
        });
        return d;
    }

    /** The community's display name, or null. */
    public String communityName(String communityId) {
        Community c = communities.get(communityId);
        return c == null || c.name == null || c.name.isBlank() ? null : c.name;
    }

    /** The member's display name in that community (community entry first, then the global one), or null. */
    public String memberName(String communityId, String userId) {
        if (userId == null) {
            return null;
        }
        Community c = communities.get(communityId);
        String n = c == null ? null : c.members.get(userId);
        if (n == null) {
            n = members.get(userId);
        }
        return n == null || n.isBlank() ? null : n;
    }

    /** Moderator ids to mention on a channel of that type (empty when none). */
    public List<String> moderators(String communityId, String channelType) {
        Community c = communities.get(communityId);
        return c == null ? List.of() : c.moderators.getOrDefault(channelType, List.of());
    }

    public List<String> moderatorMobiles(String communityId, String channelType) {
        Community c = communities.get(communityId);
        return c == null ? List.of() : c.moderatorMobiles.getOrDefault(channelType, List.of());
    }
}
