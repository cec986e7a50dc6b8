package com.communitypulse.events;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One input event of any of the three streams (message, click, order; CONTRACT §3).
 *
 * <p>The three event shapes are flattened into one class with {@link #getType()} telling which, so
 * that de-duplication, late routing, attribution and the metrics run over one stream without
 * union types or Kryo. Fields that a type does not have stay {@code null}/0. Use the factories
 * {@link #message}, {@link #click} and {@link #order} to build events; the contract JSON is read by
 * {@link EventParser} and written by {@link EventJson}.
 *
 * <p>Flink serializes it with the hand-written {@link PulseEventSerializer} (via {@link PulseEventTypeInfo}),
 * not as a POJO: it crosses several shuffles and waits in list state, where reflection cost a tenth
 * of the CPU. A new field must be added to that serializer too; its test fails until it is.
 *
 * <p>{@code text} is transient by design: {@code SentimentFunction} scores it and then clears it,
 * so chat text never reaches keyed state or checkpoints (sentiment label/score are kept instead).
 */
@TypeInfo(PulseEventTypeInfo.Factory.class)
public class PulseEvent {

    private String eventId;
    private EventType type;
    private EventKind kind;
    private String communityId;
    private String userId;
    private long ts;
    private String text;
    private String replyToUser;
    private MemberRole role;
    private String lang;
    private String itemId;
    private String shareId;
    private String orderId;
    private long amountMinor;
    private String currency;
    /** Sentiment of a speaking message once scored: -1 negative, 0 neutral, 1 positive; {@link #UNSCORED} otherwise. */
    private byte sentiment = UNSCORED;
    /** How the community of a click-stream event or order was found (order attribution, CONTRACT §4). */
    private Attribution attribution;

    public static final byte UNSCORED = Byte.MIN_VALUE;

    /** Bits telling which windows this event is the member's first activity in; see {@code MemberTouches}. */
    private int touches;
    /** The scorer's score in [-1, 1] of a scored message (see {@link #sentiment}); 0 otherwise. */
    private double score;
    /**
     * What a moderator needs of a negative message (categories, matched terms, masked excerpt), set
     * where the text is scored and removed again once it has been handed to the alert functions;
     * null otherwise.
     */
    private NegativeEvidence evidence;

    /** How an order (or click) got its community. */
    public enum Attribution { DIRECT, SHARE_ID, LAST_CLICK, UNATTRIBUTED }

    /** For the serializer and the factories. */
    public PulseEvent() {}

    public static PulseEvent message(String eventId, String communityId, String userId, long ts, EventKind kind, String text) {
        PulseEvent e = base(eventId, EventType.MESSAGE, kind, userId, ts);
        e.communityId = communityId;
        e.text = text;
        e.role = MemberRole.MEMBER;
        return e;
    }

    public static PulseEvent click(String eventId, String userId, long ts, EventKind kind, String itemId, String communityId, String shareId) {
        PulseEvent e = base(eventId, EventType.CLICK, kind, userId, ts);
        e.itemId = itemId;
        e.communityId = communityId;
        e.shareId = shareId;
        return e;
    }

    public static PulseEvent order(String eventId, String orderId, String userId, long ts, EventKind status,
                                   long amountMinor, String currency, String communityId, String shareId) {
        PulseEvent e = base(eventId, EventType.ORDER, status, userId, ts);
        e.orderId = orderId;
        e.amountMinor = amountMinor;
        e.currency = currency;
        e.communityId = communityId;
        e.shareId = shareId;
        return e;
    }

    private static PulseEvent base(String eventId, EventType type, EventKind kind, String userId, long ts) {
        if (kind.type() != type) {
            throw new IllegalArgumentException(kind + " is not a " + type + " kind");
        }
        PulseEvent e = new PulseEvent();
        e.eventId = eventId;
        e.type = type;
        e.kind = kind;
        e.userId = userId;
        e.ts = ts;
        return e;
    }

    /** A field-by-field copy (events are mutable POJOs; functions copy before changing one they did not create). */
    public PulseEvent copy() {
        PulseEvent e = new PulseEvent();
        e.eventId = eventId;
        e.type = type;
        e.kind = kind;
        e.communityId = communityId;
        e.userId = userId;
        e.ts = ts;
        e.text = text;
        e.replyToUser = replyToUser;
        e.role = role;
        e.lang = lang;
        e.itemId = itemId;
        e.shareId = shareId;
        e.orderId = orderId;
        e.amountMinor = amountMinor;
        e.currency = currency;
        e.sentiment = sentiment;
        e.attribution = attribution;
        e.touches = touches;
        e.score = score;
        e.evidence = evidence;
        return e;
    }

    public PulseEvent withReplyTo(String user) {
        this.replyToUser = user;
        return this;
    }

    public PulseEvent withRole(MemberRole r) {
        this.role = r;
        return this;
    }

    public PulseEvent withLang(String l) {
        this.lang = l;
        return this;
    }

    public String getEventId() { return eventId; }
    public void setEventId(String eventId) { this.eventId = eventId; }
    public EventType getType() { return type; }
    public void setType(EventType type) { this.type = type; }
    public EventKind getKind() { return kind; }
    public void setKind(EventKind kind) { this.kind = kind; }
    public String getCommunityId() { return communityId; }
    public void setCommunityId(String communityId) { this.communityId = communityId; }
    public String getUserId() { return userId; }
    public void setUserId(String userId) { this.userId = userId; }
    public long getTs() { return ts; }
    public void setTs(long ts) { this.ts = ts; }
    public String getText() { return text; }
    public void setText(String text) { this.text = text; }
    public String getReplyToUser() { return replyToUser; }
    public void setReplyToUser(String replyToUser) { this.replyToUser = replyToUser; }
    public MemberRole getRole() { return role; }
    public void setRole(MemberRole role) { this.role = role; }
    public String getLang() { return lang; }
    public void setLang(String lang) { this.lang = lang; }
    public String getItemId() { return itemId; }
    public void setItemId(String itemId) { this.itemId = itemId; }
    public String getShareId() { return shareId; }
    public void setShareId(String shareId) { this.shareId = shareId; }
    public String getOrderId() { return orderId; }
    public void setOrderId(String orderId) { this.orderId = orderId; }
    public long getAmountMinor() { return amountMinor; }
    public void setAmountMinor(long amountMinor) { this.amountMinor = amountMinor; }
    public String getCurrency() { return currency; }
    public void setCurrency(String currency) { this.currency = currency; }
    public byte getSentiment() { return sentiment; }
    public void setSentiment(byte sentiment) { this.sentiment = sentiment; }
    public int getTouches() { return touches; }
    public void setTouches(int touches) { this.touches = touches; }
    public Attribution getAttribution() { return attribution; }
    public void setAttribution(Attribution attribution) { this.attribution = attribution; }

    public boolean isStaffOrBot() {
        return role == MemberRole.STAFF || role == MemberRole.BOT;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof PulseEvent)) return false;
        PulseEvent e = (PulseEvent) o;
        return ts == e.ts && amountMinor == e.amountMinor && sentiment == e.sentiment && Objects.equals(eventId, e.eventId)
                && type == e.type && kind == e.kind && Objects.equals(communityId, e.communityId)
                && Objects.equals(userId, e.userId) && Objects.equals(text, e.text) && Objects.equals(replyToUser, e.replyToUser)
                && role == e.role && Objects.equals(lang, e.lang) && Objects.equals(itemId, e.itemId)
                && Objects.equals(shareId, e.shareId) && Objects.equals(orderId, e.orderId)
                && Objects.equals(currency, e.currency) && attribution == e.attribution && touches == e.touches
                && Double.compare(score, e.score) == 0 && Objects.equals(evidence, e.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, type, kind, userId, ts);
    }

    @Override
    public String toString() {
        return type + "{" + eventId + " " + kind.wireName() + " c=" + communityId + " u=" + userId + " ts=" + ts + "}";
    }
    public double getScore() { return score; }
    public void setScore(double score) { this.score = score; }
    public NegativeEvidence getEvidence() { return evidence; }
    public void setEvidence(NegativeEvidence evidence) { this.evidence = evidence; }
}
