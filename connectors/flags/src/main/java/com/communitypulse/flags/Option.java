package com.communitypulse.flags;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one option descriptor of the project: key (the flag is {@code --key}), default, description and
 * the parser that turns a string into the value or a {@link UsageException} naming the fix. The job's
 * options ({@code PulseConfig}), the exporter's, the dispatcher's and every command's own flags are
 * declared with it and parsed by {@link Flags}. A {@linkplain #flag switch} takes no value.
 */
public final class Option<T> {
    private final String key;
    private final String defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final boolean secret;
    private final boolean takesValue;

    private Option(String key, String defaultValue, String description, Function<String, T> parser, boolean secret, boolean takesValue) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
        this.parser = parser;
        this.secret = secret;
        this.takesValue = takesValue;
    }

    /** An option with its own parser (which throws {@link UsageException} naming the fix). */
    public static <T> Option<T> of(String key, String def, String description, Function<String, T> parser) {
        return new Option<>(key, def, description, parser, false, true);
    }

    public static Option<String> string(String key, String def, String description) {
        return new Option<>(key, def, description, v -> v, false, true);
    }

    /** A switch: {@code --key} alone, no value; {@link Flags.Parsed#get} gives true when it was given. */
    public static Option<Boolean> flag(String key, String description) {
        return new Option<>(key, "false", description, Boolean::parseBoolean, false, false);
    }

    /** One of {@code choices} (case-insensitive), returned in lower case. */
    public static Option<String> choice(String key, String def, List<String> choices, String description) {
        return new Option<>(key, def, description, v -> {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (!choices.contains(s)) {
                throw new UsageException("Invalid value '" + v + "' for " + key + ": use " + String.join(" or ", choices));
            }
            return s;
        }, false, true);
    }

    public static Option<String> secret(String key, String description) {
        return new Option<>(key, "", description, v -> v, true, true);
    }

    public static Option<Integer> integer(String key, int def, int min, int max, String description) {
        return new Option<>(key, Integer.toString(def), description, v -> {
            try {
                int i = Integer.parseInt(v.trim());
                if (i < min || i > max) {
                    throw new UsageException("Invalid value '" + v + "' for " + key + ": use an integer between " + min + " and " + max);
                }
                return i;
            } catch (NumberFormatException e) {
                throw new UsageException("Invalid value '" + v + "' for " + key + ": use an integer between " + min + " and " + max);
            }
        }, false, true);
    }

    public static Option<Double> decimal(String key, double def, double min, double max, String description) {
        return new Option<>(key, Double.toString(def), description, v -> {
            try {
                double d = Double.parseDouble(v.trim());
                if (!(d >= min && d <= max)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new UsageException("Invalid value '" + v + "' for " + key + ": use a number between " + min + " and " + max);
            }
        }, false, true);
    }

    public static Option<Boolean> bool(String key, boolean def, String description) {
        return new Option<>(key, Boolean.toString(def), description, v -> {
            String s = v.trim().toLowerCase(Locale.ROOT);
            if (s.equals("true")) return true;
            if (s.equals("false")) return false;
            throw new UsageException("Invalid value '" + v + "' for " + key + ": use true or false");
        }, false, true);
    }

    public static Option<Duration> duration(String key, String def, String description) {
        return new Option<>(key, def, description, v -> parseDuration(key, v), false, true);
    }

    public static Option<ZoneId> zone(String key, String def, String description) {
        return new Option<>(key, def, description, v -> {
            try {
                return ZoneId.of(v.trim());
            } catch (RuntimeException e) {
                throw new UsageException("Invalid value '" + v + "' for " + key + ": use a time zone id such as Asia/Shanghai or UTC");
            }
        }, false, true);
    }

    /** Accepts {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d} and ISO-8601 ({@code PT1M}). */
    public static Duration parseDuration(String key, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            int i = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (i == 0) throw new NumberFormatException();
            long n = Long.parseLong(s.substring(0, i));
            switch (s.substring(i).trim()) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": case "min": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                case "d": return Duration.ofDays(n);
                default: throw new NumberFormatException();
            }
        } catch (RuntimeException e) {
            throw new UsageException("Invalid value '" + v + "' for " + key + ": use a duration such as 500ms, 30s, 5m, 2h, 7d or PT1M");
        }
    }

    public String key() { return key; }
    /** The flag as typed: {@code --key}. */
    public String flagName() { return "--" + key; }
    public String defaultValue() { return defaultValue; }
    public String description() { return description; }
    public boolean isSecret() { return secret; }
    /** False for a {@linkplain #flag switch}. */
    public boolean takesValue() { return takesValue; }

    /** The environment variable that sets this option: {@code PULSE_<KEY>}, dots and dashes as underscores. */
    public String envName() {
        return "PULSE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public T parse(String value) {
        return parser.apply(value);
    }

    @Override
    public String toString() {
        return flagName();
    }
}
