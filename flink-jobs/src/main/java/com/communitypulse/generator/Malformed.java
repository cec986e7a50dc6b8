package com.communitypulse.generator;

import com.communitypulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Builds records that {@link com.communitypulse.events.EventParser} must reject, one of each CONTRACT §3
 * failure class. Every variant is rejected whether a reader hands the parser the raw bytes or
 * first decodes them as UTF-8 with replacement characters (as a line-based file reader might), and
 * no variant contains a line feed or carriage return, so each fits on one JSONL line unchanged.
 */
final class Malformed {
    enum Variant { GARBAGE, INVALID_UTF8, TRUNCATED, WRONG_TYPE, MISSING_FIELD, UNKNOWN_ENUM, ABSURD_TS, DEEP_NESTING, OVERSIZED }

    private static final Variant[] VARIANTS = Variant.values();
    private static final byte[] GARBAGE_LEAD = "~!@%^&*<".getBytes(StandardCharsets.US_ASCII);

    private Malformed() {}

    /** A rejected record for {@code type}; {@code id}/{@code user}/{@code community}/{@code ts} make it look plausible. */
    static byte[] build(SplittableRandom r, EventType type, String id, String user, String community, long ts) {
        Variant v = VARIANTS[r.nextInt(VARIANTS.length)];
        return build(v, r, type, id, user, community, ts);
    }

    static byte[] build(Variant v, SplittableRandom r, EventType type, String id, String user, String community, long ts) {
        switch (v) {
            case GARBAGE:
                return garbage(r);
            case INVALID_UTF8:
                // The bytes sit inside the kind/status value: a strict parser fails on UTF-8, a lenient
                // decoder yields an unknown enum value, and both reject it.
                return concat(ascii(prefix(type, id, user, community, ts) + "\"" + kindField(type) + "\":\"pa"),
                        new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3}, ascii("id\"" + suffix(type) + "}"));
            case TRUNCATED: {
                byte[] full = valid(type, id, user, community, ts);
                return java.util.Arrays.copyOf(full, 1 + r.nextInt(full.length - 1));
            }
            case WRONG_TYPE:
                switch (r.nextInt(3)) {
                    case 0: return ascii(valid(type, id, user, community, ts, "\"ts\":" + ts, "\"ts\":\"" + ts + "\""));
                    case 1: return ascii(valid(type, id, user, community, ts, "\"user_id\":\"" + user + "\"", "\"user_id\":" + user.substring(1)));
                    default: return ascii(valid(type, id, user, community, ts, "\"event_id\":\"" + id + "\"", "\"event_id\":{\"id\":\"" + id + "\"}"));
                }
            case MISSING_FIELD:
                switch (r.nextInt(3)) {
                    case 0: return ascii(valid(type, id, user, community, ts, "\"event_id\":\"" + id + "\",", ""));
                    case 1: return ascii(valid(type, id, user, community, ts, ",\"ts\":" + ts, ""));
                    default: return ascii(valid(type, id, user, community, ts, "\"user_id\":\"" + user + "\",", ""));
                }
            case UNKNOWN_ENUM: {
                String[] bad = type == EventType.MESSAGE ? new String[] {"like", "forward", "POST"}
                        : type == EventType.CLICK ? new String[] {"purchase", "hover", "VIEW"} : new String[] {"pending", "cancelled", "PAID"};
                String w = bad[r.nextInt(bad.length)];
                return ascii(valid(type, id, user, community, ts, "\"" + kindField(type) + "\":\"" + goodKind(type) + "\"",
                        "\"" + kindField(type) + "\":\"" + w + "\""));
            }
            case ABSURD_TS: {
                long[] bad = {0L, ts / 1000, 99_999_999_999_999L, -ts};
                long b = bad[r.nextInt(bad.length)];
                return ascii(valid(type, id, user, community, ts, "\"ts\":" + ts, "\"ts\":" + b));
            }
            case DEEP_NESTING: {
                int depth = 40 + r.nextInt(200);
                StringBuilder sb = new StringBuilder(new String(valid(type, id, user, community, ts), StandardCharsets.UTF_8));
                sb.setLength(sb.length() - 1);
                sb.append(",\"extra\":");
                for (int i = 0; i < depth; i++) sb.append('[');
                for (int i = 0; i < depth; i++) sb.append(']');
                sb.append('}');
                return ascii(sb.toString());
            }
            case OVERSIZED:
            default: {
                if (type == EventType.MESSAGE) {
                    int n = 4001 + r.nextInt(2000);
                    StringBuilder t = new StringBuilder(n);
                    String unit = "质量太差了，要求退款";
                    while (t.length() < n) t.append(unit);
                    return (prefix(type, id, user, community, ts) + "\"kind\":\"post\",\"text\":\"" + t + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                }
                // Click and order texts are not read, so an oversized id is their "too large" case.
                StringBuilder u = new StringBuilder("u");
                while (u.length() < 300) u.append(user);
                return ascii(valid(type, id, user, community, ts, "\"user_id\":\"" + user + "\"", "\"user_id\":\"" + u + "\""));
            }
        }
    }

    private static byte[] garbage(SplittableRandom r) {
        int n = 5 + r.nextInt(120);
        byte[] b = new byte[n];
        b[0] = GARBAGE_LEAD[r.nextInt(GARBAGE_LEAD.length)];
        for (int i = 1; i < n; i++) {
            byte x;
            do {
                x = (byte) r.nextInt(256);
            } while (x == '\n' || x == '\r');
            b[i] = x;
        }
        return b;
    }

    private static String kindField(EventType type) {
        return type == EventType.ORDER ? "status" : "kind";
    }

    private static String goodKind(EventType type) {
        return type == EventType.MESSAGE ? "post" : type == EventType.CLICK ? "view" : "paid";
    }

    private static String prefix(EventType type, String id, String user, String community, long ts) {
        switch (type) {
            case MESSAGE: return "{\"event_id\":\"" + id + "\",\"community_id\":\"" + community + "\",\"user_id\":\"" + user + "\",\"ts\":" + ts + ",";
            case CLICK: return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"ts\":" + ts + ",";
            default: return "{\"event_id\":\"" + id + "\",\"order_id\":\"o" + id + "\",\"user_id\":\"" + user + "\",\"ts\":" + ts + ",";
        }
    }

    private static String suffix(EventType type) {
        switch (type) {
            case MESSAGE: return ",\"text\":\"hi\"";
            case CLICK: return ",\"item_id\":\"i1\"";
            default: return ",\"amount_minor\":9900,\"currency\":\"CNY\"";
        }
    }

    /** A valid record of {@code type}: the base that the variants corrupt. */
    static byte[] valid(EventType type, String id, String user, String community, long ts) {
        return ascii(prefix(type, id, user, community, ts) + "\"" + kindField(type) + "\":\"" + goodKind(type) + "\"" + suffix(type) + "}");
    }

    private static String valid(EventType type, String id, String user, String community, long ts, String from, String to) {
        String s = new String(valid(type, id, user, community, ts), StandardCharsets.US_ASCII);
        if (!s.contains(from)) throw new IllegalStateException("malformed template lacks " + from + ": " + s);
        return s.replace(from, to);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
