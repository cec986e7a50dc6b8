package com.communitypulse.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code pulse sentiment ...}: score messages, evaluate a scorer on labelled data, train a model.
 *
 * <h2>How to run</h2>
 *
 * <pre>
 * $ printf '很好吃，送餐也快\nThe food was cold and the driver was rude!!!\n' | pulse sentiment score
 * positive	0.8...
 * negative	-0.8...	delivery,service
 * $ pulse sentiment eval --data ../shared/data/waimai_10k.csv            # lexicon scorer
 * $ pulse sentiment eval --data ../shared/data/waimai_10k.csv --cv 5     # trained scorer, 5-fold CV
 * $ pulse sentiment train --data ../shared/data/waimai_10k.csv --out waimai.model
 * $ pulse sentiment eval --data other.csv --model waimai.model
 * </pre>
 *
 * Exit codes: 0 ok, 2 usage or input error (one line on stderr naming the fix), 1 unexpected failure.
 */
public final class SentimentCli {

    private static final String USAGE = String.join("\n",
            "usage: pulse sentiment <command> [options]",
            "commands:",
            "  score [--model MODEL] [--lang zh|en]   score one message per stdin line: label<TAB>score<TAB>categories",
            "  eval  --data FILE [--model MODEL | --cv K] [--seed N]   accuracy, per-class P/R/F1, macro-F1, confusion",
            "  train --data FILE --out MODEL [--seed N] [--epochs N] [--hash-bits N]   train the n-gram model",
            "Without --model the lexicon scorer is used. Run 'pulse sentiment <command> --help' for details.");

    private static final Map<String, String> HELP = Map.of(
            "score", String.join("\n",
                    "usage: pulse sentiment score [--model MODEL] [--lang zh|en]",
                    "Reads one message per line from stdin and writes, in input order, one line per message:",
                    "  label<TAB>score<TAB>categories",
                    "label is positive|neutral|negative, score is in [-1, 1] with 4 decimals, categories are",
                    "comma-separated moderation categories (complaint, refund, counterfeit, fraud, quality,",
                    "delivery, service, abuse), empty unless the label is negative.",
                    "  --model MODEL   model file from 'pulse sentiment train' (default: lexicon scorer)",
                    "  --lang zh|en    language hint (advisory; scripts are detected per character)"),
            "eval", String.join("\n",
                    "usage: pulse sentiment eval --data FILE [--model MODEL | --cv K] [--seed N]",
                    "Scores a labelled file and prints accuracy, per-class precision/recall/F1, macro-F1 and the",
                    "confusion matrix. Neutral predictions count as positive (\"not negative\").",
                    "  --data FILE     'label,review' CSV with header, or 'text<TAB>label' lines; label 1/0",
                    "  --model MODEL   evaluate this trained model (default: lexicon scorer)",
                    "  --cv K          k-fold cross-validation of the trained scorer on FILE instead",
                    "  --seed N        seed for --cv fold assignment and training (default 42)"),
            "train", String.join("\n",
                    "usage: pulse sentiment train --data FILE --out MODEL [--seed N] [--epochs N] [--hash-bits N]",
                    "Trains logistic regression over hashed character 1-3-grams (Chinese), word 1-2-grams",
                    "(English) and lexicon features. Deterministic for a given file, options and seed.",
                    "  --data FILE       'label,review' CSV with header, or 'text<TAB>label' lines; label 1/0",
                    "  --out MODEL       where to write the model file (about 4 * 2^hash-bits bytes)",
                    "  --seed N          shuffle seed (default 42)",
                    "  --epochs N        passes over the data (default 8)",
                    "  --hash-bits N     log2 of the feature space, 10..24 (default 18)"));

    private static final Map<String, Set<String>> FLAGS = Map.of(
            "score", Set.of("--model", "--lang"),
            "eval", Set.of("--data", "--model", "--cv", "--seed", "--epochs", "--hash-bits"),
            "train", Set.of("--data", "--out", "--seed", "--epochs", "--hash-bits"));

    private SentimentCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs one command. Returns the process exit code; bad flags give a one-line error on {@code err}
     * naming the fix and exit code 2, never a stack trace.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || isHelp(args[0])) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (!FLAGS.containsKey(command)) {
            err.println("error: unknown command '" + command + "'; use score, eval or train (see 'pulse sentiment --help')");
            return 2;
        }
        try {
            Map<String, String> opts = parse(command, args);
            if (opts == null) {
                out.println(HELP.get(command));
                return 0;
            }
            switch (command) {
                case "score":
                    return score(opts, in, out);
                case "eval":
                    return eval(opts, out);
                default:
                    return train(opts, out);
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: I/O failure: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static boolean isHelp(String a) {
        return a.equals("--help") || a.equals("-h") || a.equals("help");
    }

    /** Returns null when help was asked for. */
    private static Map<String, String> parse(String command, String[] args) {
        Map<String, String> opts = new HashMap<>();
        String hint = "; run 'pulse sentiment " + command + " --help'";
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (isHelp(a)) {
                return null;
            }
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (!FLAGS.get(command).contains(a)) {
                throw new UsageException((a.startsWith("-") ? "unknown option '" + a + "'" : "unexpected argument '" + a + "'")
                        + " for '" + command + "'" + hint);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(a + " needs a value" + hint);
                }
                value = args[++i];
            }
            if (opts.put(a, value) != null) {
                throw new UsageException(a + " given twice" + hint);
            }
        }
        return opts;
    }

    private static int score(Map<String, String> opts, InputStream in, PrintStream out) throws IOException {
        String lang = opts.get("--lang");
        if (lang != null && !lang.equals("zh") && !lang.equals("en")) {
            throw new UsageException("--lang must be zh or en, got '" + lang + "'");
        }
        SentimentScorer scorer = SentimentScorers.create(opts.get("--model"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder(64);
        String text;
        while ((text = reader.readLine()) != null) {
            SentimentResult r = scorer.score(text, lang);
            line.setLength(0);
            line.append(r.label().wireName()).append('\t')
                    .append(String.format(Locale.ROOT, "%.4f", r.score())).append('\t');
            boolean first = true;
            for (ModerationCategory c : ModerationCategory.values()) {
                if (r.categories().contains(c)) {
                    line.append(first ? "" : ",").append(c.wireName());
                    first = false;
                }
            }
            out.println(line);
            // Flush only when no more input is waiting: interactive use streams, piped batches stay fast.
            if (!reader.ready()) {
                out.flush();
            }
        }
        out.flush();
        return 0;
    }

    private static int eval(Map<String, String> opts, PrintStream out) {
        Path data = Path.of(require(opts, "--data", "eval"));
        String model = opts.get("--model");
        String cv = opts.get("--cv");
        if (model != null && cv != null) {
            throw new UsageException("--model and --cv exclude each other: --cv trains its own models; run 'pulse sentiment eval --help'");
        }
        SentimentTrainer.Options o = trainOptions(opts);
        int k = cv == null ? 0 : intOption("--cv", cv, 2, 100); // validate flags before the slow read
        List<LabelledData.Example> rows = LabelledData.read(data);
        if (cv != null) {
            double[] folds = new double[k];
            BinaryEvaluation ev = SentimentTrainer.crossValidate(rows, k, o, new LexiconScorer(Lexicon.bundled()), folds);
            out.printf(Locale.ROOT, "scorer      trained, %d-fold cross-validation (seed %d, %d epochs, 2^%d features)%n",
                    k, o.seed, o.epochs, o.hashBits);
            out.printf(Locale.ROOT, "data        %s%n", data);
            StringBuilder sb = new StringBuilder();
            double sum = 0;
            for (double f : folds) {
                sb.append(String.format(Locale.ROOT, " %.4f", f));
                sum += f;
            }
            out.printf(Locale.ROOT, "fold macro-F1%s (mean %.4f); pooled figures below%n", sb, sum / k);
            ev.print(out);
            return 0;
        }
        SentimentScorer scorer = SentimentScorers.create(model);
        BinaryEvaluation ev = evaluate(scorer, rows);
        out.printf(Locale.ROOT, "scorer      %s%n", model == null ? "lexicon" : "trained (" + model + ")");
        out.printf(Locale.ROOT, "data        %s%n", data);
        ev.print(out);
        return 0;
    }

    static BinaryEvaluation evaluate(SentimentScorer scorer, List<LabelledData.Example> rows) {
        BinaryEvaluation ev = new BinaryEvaluation();
        for (LabelledData.Example ex : rows) {
            ev.add(ex.positive, scorer.score(ex.text, null).label());
        }
        return ev;
    }

    private static int train(Map<String, String> opts, PrintStream out) throws IOException {
        Path data = Path.of(require(opts, "--data", "train"));
        Path model = Path.of(require(opts, "--out", "train"));
        SentimentTrainer.Options o = trainOptions(opts);
        List<LabelledData.Example> rows = LabelledData.read(data);
        long pos = rows.stream().filter(r -> r.positive).count();
        if (pos == 0 || pos == rows.size()) {
            throw new UsageException(data + " has only one class; training needs both positive (1) and negative (0) rows");
        }
        LogisticModel m = SentimentTrainer.train(rows, o, new LexiconScorer(Lexicon.bundled()));
        Path parent = model.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw new UsageException("directory " + parent + " does not exist; create it or choose another --out");
        }
        m.write(model);
        out.printf(Locale.ROOT, "trained on %d rows (%d positive, %d negative), seed %d, %d epochs, 2^%d features -> %s%n",
                rows.size(), pos, rows.size() - pos, o.seed, o.epochs, o.hashBits, model);
        return 0;
    }

    private static SentimentTrainer.Options trainOptions(Map<String, String> opts) {
        SentimentTrainer.Options o = new SentimentTrainer.Options();
        if (opts.containsKey("--seed")) {
            try {
                o.seed = Long.parseLong(opts.get("--seed").trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--seed must be an integer, got '" + opts.get("--seed") + "'");
            }
        }
        if (opts.containsKey("--epochs")) {
            o.epochs = intOption("--epochs", opts.get("--epochs"), 1, 1000);
        }
        if (opts.containsKey("--hash-bits")) {
            o.hashBits = intOption("--hash-bits", opts.get("--hash-bits"), 10, 24);
        }
        return o;
    }

    private static int intOption(String flag, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException(flag + " must be an integer from " + min + " to " + max + ", got '" + value + "'");
    }

    private static String require(Map<String, String> opts, String flag, String command) {
        String v = opts.get(flag);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + " needs " + flag + " " + (flag.equals("--out") ? "MODEL" : "FILE")
                    + "; run 'pulse sentiment " + command + " --help'");
        }
        return v;
    }

    /** A user error: reported as one line, exit code 2. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
