package com.communitypulse.connectors.dispatcher.channel;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * The languages chat messages are written in, with the few words the code itself contributes (labels
 * of types, severities and evidence); the sentences around them come from the channel's template.
 */
public enum Lang {
    ZH_CN("zh-CN"),
    EN("en");

    public final String tag;

    Lang(String tag) {
        this.tag = tag;
    }

    /** @return the language for a config value ({@code zh-CN}, {@code en}), or null if unsupported */
    public static Lang of(String tag) {
        for (Lang l : values()) {
            if (l.tag.equalsIgnoreCase(tag)) {
                return l;
            }
        }
        return null;
    }

    private static final Map<String, String> ZH = Map.ofEntries(
            Map.entry("critical", "严重"), Map.entry("warning", "警告"), Map.entry("info", "提示"),
            Map.entry("firing", "触发"), Map.entry("resolved", "已恢复"),
            Map.entry("MEMBER_AT_RISK", "成员流失风险"), Map.entry("MEMBER_CHURNED", "成员已流失"),
            Map.entry("CHURN_SPIKE", "流失激增"), Map.entry("NEGATIVE_MESSAGE", "负面消息"),
            Map.entry("NEGATIVE_SPIKE", "负面情绪激增"),
            Map.entry("Severity: ", "级别依据："), Map.entry("Excerpt: ", "摘录："), Map.entry("Matched terms: ", "命中词："),
            Map.entry("Message id: ", "消息编号："), Map.entry("Top terms: ", "高频词："), Map.entry("Categories: ", "类别："),
            Map.entry("Window: ", "时间窗口："), Map.entry("Most negative messages: ", "最负面的消息："), Map.entry(" by ", " 来自 "),
            Map.entry("Evidence: ", "证据数据："), Map.entry("By type: ", "按类型："), Map.entry("By community: ", "按社群："),
            Map.entry("By severity: ", "按级别："), Map.entry("Event time: ", "时间："), Map.entry("member ", "成员 "),
            Map.entry("button", "在控制台处理"), Map.entry("Alert id: ", "告警编号："));

    private static final Map<String, String> EN_LABELS = Map.ofEntries(
            Map.entry("MEMBER_AT_RISK", "Member at risk"), Map.entry("MEMBER_CHURNED", "Member churned"),
            Map.entry("CHURN_SPIKE", "Churn spike"), Map.entry("NEGATIVE_MESSAGE", "Negative message"),
            Map.entry("NEGATIVE_SPIKE", "Negative-sentiment spike"), Map.entry("button", "Open in console"));

    /** A label or an English key translated; unknown keys come back as given. */
    public String t(String key) {
        if (this == ZH_CN) {
            return ZH.getOrDefault(key, key);
        }
        return EN_LABELS.getOrDefault(key, key);
    }

    public String severity(String severity) {
        return this == ZH_CN ? ZH.getOrDefault(severity, severity) : severity.toUpperCase(Locale.ROOT);
    }

    public String state(String state) {
        if (state == null) {
            return "";
        }
        return this == ZH_CN ? ZH.getOrDefault(state, state) : state.toUpperCase(Locale.ROOT);
    }

    /** How a time zone is named after a time: {@code UTC}, 北京时间 for Asia/Shanghai in Chinese, else the zone id. */
    public String zoneLabel(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        if (this == ZH_CN && zone.getId().equals("Asia/Shanghai")) {
            return "北京时间";
        }
        return zone.getId();
    }
}
