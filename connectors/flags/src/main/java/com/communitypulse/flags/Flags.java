package com.communitypulse.flags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one command-line flag parser of the project: {@code --key value}, {@code --key=value} and switches
 * ({@code --key} alone) for a set of {@link Option} descriptors. picocli does the parsing; this class fixes
 * its settings (no {@code @file} expansion, no option-like values, a flag given twice is an error) and
 * turns every mistake into one {@link UsageException} line that names the fix:
 *
 * <ul>
 *   <li>{@code unknown option --metrics.windw: did you mean --metrics.window?} (or the list of options
 *       when there are few, or where to find them)</li>
 *   <li>{@code --out needs a value: --out=VALUE or --out VALUE}</li>
 *   <li>{@code --check takes no value: pass --check alone}</li>
 *   <li>{@code --seed given twice: give it once}</li>
 *   <li>{@code unexpected argument 'x': options look like --key value (see --help)}</li>
 * </ul>
 *
 * {@code --help} or {@code -h} anywhere makes {@link Parsed#help()} true and skips all other checks, so
 * help always works. Values are kept as strings; {@link Parsed#get} applies the option's typed parser.
 */
public final class Flags {
    /** Up to this many options, an unknown-option error lists them all. */
    static final int LIST_AT_MOST = 8;

    private final Map<String, Option<?>> options = new LinkedHashMap<>();
    private String context;
    private String hint;
    private String help = "--help";

    private Flags(Collection<? extends Option<?>> opts) {
        for (Option<?> o : opts) {
            if (options.put(o.key(), o) != null) {
                throw new IllegalArgumentException("option --" + o.key() + " declared twice");
            }
        }
    }

    public static Flags of(Collection<? extends Option<?>> options) {
        return new Flags(options);
    }

    public static Flags of(Option<?>... options) {
        return new Flags(List.of(options));
    }

    /** Names the command in unknown-option errors, e.g. {@code cluster start}: "unknown option --x for 'cluster start'". */
    public Flags context(String command) {
        this.context = command;
        return this;
    }

    /** Appended to unknown-option errors in parentheses, e.g. "job options go to 'pulse cluster submit'". */
    public Flags hint(String hint) {
        this.hint = hint;
        return this;
    }

    /** Where the help is, for errors: default {@code --help}, e.g. {@code 'pulse sentiment score --help'}. */
    public Flags help(String howToGetHelp) {
        this.help = howToGetHelp;
        return this;
    }

    /** True when {@code --help} or {@code -h} is among the arguments. */
    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    public static boolean wantsHelp(String[] args) {
        return wantsHelp(List.of(args));
    }

    public Parsed parse(String[] args) {
        return parse(List.of(args));
    }

    /** Parses the arguments; throws {@link UsageException} for any mistake. */
    public Parsed parse(List<String> args) {
        if (wantsHelp(args)) {
            return new Parsed(true, Map.of());
        }
        CommandSpec spec = CommandSpec.create();
        for (Option<?> o : options.values()) {
            spec.addOption(OptionSpec.builder(o.flagName())
                    .type(o.takesValue() ? String.class : boolean.class)
                    .arity(o.takesValue() ? "1" : "0")
                    .build());
        }
        CommandLine cl = new CommandLine(spec);
        cl.setExpandAtFiles(false);
        cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cl.setOverwrittenOptionsAllowed(false);
        cl.setPosixClusteredShortOptionsAllowed(false);
        ParseResult r;
        try {
            r = cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            throw usageError(e, args);
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (OptionSpec s : r.matchedOptions()) {
            String key = s.longestName().substring(2);
            Option<?> o = options.get(key);
            given.put(key, o.takesValue() ? (String) s.getValue() : "true");
        }
        return new Parsed(false, given);
    }

    private UsageException usageError(CommandLine.ParameterException e, List<String> args) {
        if (e instanceof CommandLine.OverwrittenOptionException) {
            String flag = name(((CommandLine.OverwrittenOptionException) e).getOverwritten());
            return new UsageException(flag + " given twice: give it once");
        }
        if (e instanceof CommandLine.MissingParameterException) {
            List<ArgSpec> missing = ((CommandLine.MissingParameterException) e).getMissing();
            if (!missing.isEmpty()) {
                return needsValue(name(missing.get(0)));
            }
        }
        if (e instanceof CommandLine.MaxValuesExceededException) {
            for (String a : args) {
                int eq = a.indexOf('=');
                Option<?> o = eq > 2 && a.startsWith("--") ? options.get(a.substring(2, eq)) : null;
                if (o != null && !o.takesValue()) {
                    return new UsageException(o.flagName() + " takes no value: pass " + o.flagName() + " alone");
                }
            }
        }
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            // picocli refuses an option-like value ("--out --bogus") as an unmatched argument: name the flag that lacks its value.
            for (int i = 0; i < args.size(); i++) {
                Option<?> o = args.get(i).startsWith("--") ? options.get(args.get(i).substring(2)) : null;
                if (o != null && o.takesValue() && (i + 1 == args.size() || args.get(i + 1).startsWith("--"))) {
                    return needsValue(o.flagName());
                }
            }
            List<String> unmatched = ((CommandLine.UnmatchedArgumentException) e).getUnmatched();
            if (!unmatched.isEmpty()) {
                String u = unmatched.get(0);
                if (u.startsWith("-") && u.length() > 1 && !u.equals("--")) {
                    int eq = u.indexOf('=');
                    return unknown(eq > 0 ? u.substring(0, eq) : u, ((CommandLine.UnmatchedArgumentException) e).getSuggestions());
                }
                return new UsageException("unexpected argument '" + u + "': options look like --key value (see " + help + ")");
            }
        }
        return new UsageException(e.getMessage() + " (see " + help + ")");
    }

    /** The error for a flag without its value (also for callers that reject an empty one). */
    public static UsageException needsValue(String flag) {
        return new UsageException(flag + " needs a value: " + flag + "=VALUE or " + flag + " VALUE");
    }

    /** The error for an option these flags do not know (also for keys from elsewhere, e.g. a properties file). */
    public UsageException unknownOption(String flag) {
        return unknown(flag, List.of());
    }

    private UsageException unknown(String flag, List<String> picocliSuggestions) {
        StringBuilder m = new StringBuilder("unknown option ").append(flag);
        if (context != null) {
            m.append(" for '").append(context).append('\'');
        }
        String suggestion = suggest(flag, picocliSuggestions);
        if (suggestion != null) {
            m.append(": did you mean ").append(suggestion).append('?');
        } else if (options.size() <= LIST_AT_MOST) {
            List<String> names = new ArrayList<>();
            options.values().forEach(o -> names.add(o.flagName()));
            m.append(": use ").append(names.size() == 1 ? names.get(0)
                    : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
        } else {
            m.append(": see ").append(help).append(" for the list");
        }
        if (hint != null) {
            m.append(" (").append(hint).append(')');
        }
        return new UsageException(m.toString());
    }

    /**
     * The option meant: the nearest key within a small edit distance (a typo: swapped, missing or extra
     * letters), else picocli's nearest, else one whose key contains the word typed or ends in the same part.
     */
    private String suggest(String flag, List<String> picocliSuggestions) {
        String k = flag.replaceFirst("^-+", "");
        String best = null;
        int bestDistance = Math.max(1, k.length() / 4) + 1;
        for (String key : options.keySet()) {
            int d = Math.min(distance(k, key), distance(k, lastPart(key)));
            if (d < bestDistance) {
                best = key;
                bestDistance = d;
            }
        }
        if (best != null) {
            return "--" + best;
        }
        for (String s : picocliSuggestions) {
            if (s.startsWith("--") && options.containsKey(s.substring(2))) {
                return s;
            }
        }
        if (k.length() < 3) {
            return null;
        }
        for (String key : options.keySet()) {
            if (key.contains(k) || k.contains(key) && key.length() >= 3 || lastPart(key).equals(lastPart(k))) {
                return "--" + key;
            }
        }
        return null;
    }

    /** Edit distance with adjacent transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String lastPart(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static String name(ArgSpec a) {
        return a instanceof OptionSpec ? ((OptionSpec) a).longestName() : a.paramLabel();
    }

    /** The flags given, as strings in the order given; defaults and typed values through the options. */
    public static final class Parsed {
        private final boolean help;
        private final Map<String, String> given;

        private Parsed(boolean help, Map<String, String> given) {
            this.help = help;
            this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        }

        /** {@code --help} or {@code -h} was given: print the usage and exit 0. */
        public boolean help() {
            return help;
        }

        public boolean has(Option<?> o) {
            return given.containsKey(o.key());
        }

        /** key (without {@code --}) to value as typed, in the order given; a switch given has "true". */
        public Map<String, String> values() {
            return given;
        }

        /** The value as typed, or the option's default. */
        public String raw(Option<?> o) {
            return given.getOrDefault(o.key(), o.defaultValue());
        }

        /** The typed value (or the typed default); a bad value throws {@link UsageException}. */
        public <T> T get(Option<T> o) {
            return o.parse(raw(o));
        }
    }
}
