package com.communitypulse.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Base64;

/**
 * Parses and validates one input record (CONTRACT §3) into a {@link PulseEvent}, or explains in a
 * {@link DeadLetter} why it cannot. Never throws for bad input.
 *
 * <p>Streaming Jackson (no tree, no data binding) because this runs once per input record. Unknown
 * fields are ignored so producers can add fields without breaking the job. Limits (record size,
 * text length, nesting depth, timestamp range) turn hostile input into dead letters instead of
 * memory or CPU spikes.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Event times outside [2010-01-01, 2100-01-01) are absurd (fixed bounds keep parsing deterministic). */
    public static final long MIN_TS = 1262304000000L;
    public static final long MAX_TS = 4102444800000L;
    public static final int MAX_ID_LENGTH = 256;

    private final int maxRecordBytes;
    private final int maxTextChars;
    private transient JsonFactory factory;

    public EventParser(int maxRecordBytes, int maxTextChars) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxTextChars = maxTextChars;
    }

    /** Defaults: 64 KiB records, 4,000-character texts. */
    public EventParser() {
        this(64 * 1024, 4000);
    }

    private JsonFactory factory() {
        if (factory == null) {
            // A duplicated key is refused: parsers disagree on which value wins, so the record would
            // mean different things to the job and to whoever reads the topic next.
            factory = JsonFactory.builder()
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(Math.max(maxRecordBytes, 1024))
                            .maxNumberLength(32)
                            .build())
                    .build();
        }
        return factory;
    }

    /** Parses {@code raw} read from {@code topic}/{@code partition}@{@code offset} as an event of {@code type}. */
    public ParsedRecord parse(EventType type, byte[] raw, String topic, int partition, long offset) {
        String reason;
        if (raw == null || raw.length == 0) {
            reason = "empty record";
        } else if (raw.length > maxRecordBytes) {
            reason = "record of " + raw.length + " bytes exceeds the limit of " + maxRecordBytes;
        } else {
            try {
                Object r = parseObject(type, raw);
                if (r instanceof PulseEvent) {
                    return ParsedRecord.ofEvent((PulseEvent) r).from(topic, partition);
                }
                reason = (String) r;
            } catch (StreamConstraintsException e) {
                reason = "input exceeds parser limits: " + firstLine(e.getOriginalMessage());
            } catch (IOException | RuntimeException e) {
                reason = "malformed JSON: " + firstLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException
                        ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.getMessage());
            }
        }
        return ParsedRecord.ofDeadLetter(deadLetter(topic, partition, offset, reason, raw)).from(topic, partition);
    }

    public static DeadLetter deadLetter(String topic, int partition, long offset, String reason, byte[] raw) {
        byte[] bytes = raw == null ? new byte[0] : raw;
        return new DeadLetter(topic, partition, offset, reason, Base64.getEncoder().encodeToString(bytes), bytes.length);
    }

    /** Returns the event, or a String reason. */
    private Object parseObject(EventType type, byte[] raw) throws IOException {
        String eventId = null, communityId = null, userId = null, kind = null, text = null, replyTo = null, role = null,
                lang = null, itemId = null, shareId = null, orderId = null, status = null, currency = null;
        long ts = 0, amount = 0;
        boolean hasTs = false, hasAmount = false;
        try (JsonParser p = factory().createParser(raw)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a JSON object";
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "event_id": eventId = str(p, v); if (eventId == null) return typeError(name, "a string"); break;
                    case "community_id": communityId = optStr(p, v); if (communityId == BAD) return typeError(name, "a string"); break;
                    case "user_id": userId = str(p, v); if (userId == null) return typeError(name, "a string"); break;
                    case "kind": kind = str(p, v); if (kind == null) return typeError(name, "a string"); break;
                    case "status": status = str(p, v); if (status == null) return typeError(name, "a string"); break;
                    case "text": text = optStr(p, v); if (text == BAD) return typeError(name, "a string"); break;
                    case "reply_to_user": replyTo = optStr(p, v); if (replyTo == BAD) return typeError(name, "a string"); break;
                    case "role": role = optStr(p, v); if (role == BAD) return typeError(name, "a string"); break;
                    case "lang": lang = optStr(p, v); if (lang == BAD) return typeError(name, "a string"); break;
                    case "item_id": itemId = optStr(p, v); if (itemId == BAD) return typeError(name, "a string"); break;
                    case "share_id": shareId = optStr(p, v); if (shareId == BAD) return typeError(name, "a string"); break;
                    case "order_id": orderId = str(p, v); if (orderId == null) return typeError(name, "a string"); break;
                    case "currency": currency = str(p, v); if (currency == null) return typeError(name, "a string"); break;
                    case "ts":
                        if (v != JsonToken.VALUE_NUMBER_INT) return typeError(name, "an integer (epoch milliseconds)");
                        if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) return "field 'ts' is out of range";
                        ts = p.getLongValue();
                        hasTs = true;
                        break;
                    case "amount_minor":
                        if (v != JsonToken.VALUE_NUMBER_INT) return typeError(name, "an integer (minor currency units)");
                        if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) return "field 'amount_minor' is out of range";
                        amount = p.getLongValue();
                        hasAmount = true;
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return "malformed JSON object";
            }
            if (p.nextToken() != null) {
                return "trailing content after the JSON object";
            }
        }
        if (eventId == null) return missing("event_id");
        if (userId == null) return missing("user_id");
        if (!hasTs) return missing("ts");
        String bad = checkId("event_id", eventId);
        if (bad == null) bad = checkId("user_id", userId);
        if (bad == null && communityId != null) bad = checkId("community_id", communityId);
        if (bad != null) return bad;
        if (ts < MIN_TS || ts >= MAX_TS) {
            return "absurd timestamp ts=" + ts + " (expected epoch milliseconds between 2010 and 2100)";
        }
        switch (type) {
            case MESSAGE: {
                if (communityId == null) return missing("community_id");
                if (kind == null) return missing("kind");
                EventKind k = EventKind.fromWire(EventType.MESSAGE, kind);
                if (k == null) return unknown("kind", kind, EventType.MESSAGE);
                MemberRole r = MemberRole.MEMBER;
                if (role != null) {
                    r = MemberRole.fromWire(role);
                    if (r == null) return "unknown role '" + clip(role) + "' (expected member, staff, bot)";
                }
                if (text != null && text.length() > maxTextChars) {
                    return "text of " + text.length() + " characters exceeds the limit of " + maxTextChars;
                }
                if (k.isSpeaking() && text == null) return "missing field 'text' (required for kind " + k.wireName() + ")";
                if (lang != null && !lang.equals("zh") && !lang.equals("en")) return "unknown lang '" + clip(lang) + "' (expected zh, en)";
                PulseEvent e = PulseEvent.message(eventId, communityId, userId, ts, k, k.isSpeaking() ? text : null);
                e.setRole(r);
                e.setLang(lang);
                if (k == EventKind.REPLY || k == EventKind.REACTION) e.setReplyToUser(replyTo);
                return e;
            }
            case CLICK: {
                if (kind == null) return missing("kind");
                EventKind k = EventKind.fromWire(EventType.CLICK, kind);
                if (k == null) return unknown("kind", kind, EventType.CLICK);
                if (itemId == null) return missing("item_id");
                return PulseEvent.click(eventId, userId, ts, k, itemId, communityId, shareId);
            }
            case ORDER: {
                if (orderId == null) return missing("order_id");
                if (status == null) return missing("status");
                EventKind k = EventKind.fromWire(EventType.ORDER, status);
                if (k == null) return unknown("status", status, EventType.ORDER);
                if (!hasAmount) return missing("amount_minor");
                if (amount < 0) return "field 'amount_minor' must not be negative";
                if (currency == null) return missing("currency");
                if (!isCurrency(currency)) return "field 'currency' must be an ISO 4217 code such as CNY, got '" + clip(currency) + "'";
                bad = checkId("order_id", orderId);
                if (bad != null) return bad;
                return PulseEvent.order(eventId, orderId, userId, ts, k, amount, currency, communityId, shareId);
            }
            default:
                throw new IllegalStateException("unknown event type " + type);
        }
    }

    private static final String BAD = new String("<bad>");

    private static String str(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** null for JSON null, the text for a string, {@link #BAD} otherwise. */
    private static String optStr(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return BAD;
    }

    private static boolean isCurrency(String c) {
        if (c.length() != 3) return false;
        for (int i = 0; i < 3; i++) {
            char ch = c.charAt(i);
            if (ch < 'A' || ch > 'Z') return false;
        }
        return true;
    }

    private static String checkId(String field, String v) {
        if (v.isEmpty()) return "field '" + field + "' must not be empty";
        if (v.length() > MAX_ID_LENGTH) return "field '" + field + "' longer than " + MAX_ID_LENGTH + " characters";
        return null;
    }

    private static String missing(String f) {
        return "missing field '" + f + "'";
    }

    private static String typeError(String f, String expected) {
        return "field '" + f + "' must be " + expected;
    }

    private static String unknown(String f, String v, EventType t) {
        return "unknown " + f + " '" + clip(v) + "' (expected one of " + EventKind.allowed(t) + ")";
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable input";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
