package com.communitypulse.events;

import com.communitypulse.privacy.OutputIds;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes events and dead letters as the contract JSON (CONTRACT §3, §8). The inverse of
 * {@link EventParser}: {@code parse(toJson(e)) == e} for every valid event (round-trip tested).
 */
public final class EventJson {
    public static final int SCHEMA_VERSION = 1;
    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {}

    /** The event as it appears on its input topic. */
    public static byte[] toJson(PulseEvent e) {
        return write(g -> writeEvent(g, e));
    }

    public static void writeEvent(JsonGenerator g, PulseEvent e) throws IOException {
        writeEvent(g, e, OutputIds.NONE, true);
    }

    /** The event with member ids mapped by {@code ids}; without chat text unless {@code withText}. */
    static void writeEvent(JsonGenerator g, PulseEvent e, OutputIds ids, boolean withText) throws IOException {
        g.writeStartObject();
        g.writeStringField("event_id", e.getEventId());
        switch (e.getType()) {
            case MESSAGE:
                g.writeStringField("community_id", e.getCommunityId());
                g.writeStringField("user_id", ids.member(e.getUserId()));
                g.writeNumberField("ts", e.getTs());
                g.writeStringField("kind", e.getKind().wireName());
                if (e.getText() != null) {
                    if (withText) {
                        g.writeStringField("text", e.getText());
                    } else {
                        g.writeNumberField("text_chars", e.getText().length());
                    }
                }
                if (e.getReplyToUser() != null) g.writeStringField("reply_to_user", ids.member(e.getReplyToUser()));
                if (e.getRole() != null && e.getRole() != MemberRole.MEMBER) g.writeStringField("role", e.getRole().wireName());
                if (e.getLang() != null) g.writeStringField("lang", e.getLang());
                break;
            case CLICK:
                g.writeStringField("user_id", ids.member(e.getUserId()));
                g.writeNumberField("ts", e.getTs());
                g.writeStringField("kind", e.getKind().wireName());
                g.writeStringField("item_id", e.getItemId());
                if (e.getCommunityId() != null) g.writeStringField("community_id", e.getCommunityId());
                if (e.getShareId() != null) g.writeStringField("share_id", e.getShareId());
                break;
            case ORDER:
                g.writeStringField("order_id", e.getOrderId());
                g.writeStringField("user_id", ids.member(e.getUserId()));
                g.writeNumberField("ts", e.getTs());
                g.writeStringField("status", e.getKind().wireName());
                g.writeNumberField("amount_minor", e.getAmountMinor());
                g.writeStringField("currency", e.getCurrency());
                if (e.getCommunityId() != null) g.writeStringField("community_id", e.getCommunityId());
                if (e.getShareId() != null) g.writeStringField("share_id", e.getShareId());
                break;
            default:
                throw new IllegalStateException("unknown type " + e.getType());
        }
        g.writeEndObject();
    }

    /** A {@code pulse.dlq} record. */
    public static byte[] deadLetterJson(DeadLetter d) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("source_topic", d.getSourceTopic());
            g.writeNumberField("partition", d.getPartition());
            g.writeNumberField("offset", d.getOffset());
            g.writeStringField("reason", d.getReason());
            g.writeNumberField("raw_size", d.getRawSize());
            g.writeStringField("raw_base64", d.getRawBase64());
            g.writeEndObject();
        });
    }

    /** A {@code pulse.late} record: the original event plus the watermark that made it late. */
    public static byte[] lateJson(PulseEvent e, long watermark) {
        return lateJson(e, watermark, OutputIds.NONE);
    }

    /**
     * A {@code pulse.late} record with member ids mapped by {@code ids} (pseudonyms plus key_id by
     * default). Chat text is replaced by its length {@code text_chars}: text is transient (docs/PRIVACY.md)
     * and the event_id is what accounting needs.
     */
    public static byte[] lateJson(PulseEvent e, long watermark, OutputIds ids) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("source_topic", e.getType().defaultTopic());
            g.writeNumberField("watermark", watermark);
            if (ids.keyId() != null) g.writeStringField("key_id", ids.keyId());
            g.writeFieldName("event");
            writeEvent(g, e, ids, false);
            g.writeEndObject();
        });
    }

    /** Writes one JSON value with a fresh generator; small records, so a fresh buffer is cheap. */
    public static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes into a generator. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }
}
