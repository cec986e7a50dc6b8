package com.communitypulse.generator;

import com.communitypulse.flags.Flags;
import com.communitypulse.flags.Option;
import com.communitypulse.flags.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code pulse generate}: runs the {@link EventGenerator} into JSON lines files or Kafka topics.
 *
 * <h2>How to run</h2>
 * <pre>
 * pulse generate --out /tmp/run                       # 3 days, ~100k events, files + truth.json
 * pulse generate --seed 7 --members 200000 --communities 2000 --days 30 --events 20000000 --out /tmp/big
 * pulse generate --bootstrap localhost:9092 --speed 600 --truth /tmp/truth.json   # 10 event-minutes per second
 * </pre>
 * Prints one summary line, e.g. {@code generated 104032 records (good 101200, ...) in 0.9 s (115000 records/s)}.
 * Exit codes: 0 done, 1 output failed (disk, Kafka), 2 bad command line (one line on stderr naming the fix).
 *
 * <p>Kafka mode: {@code kafka-clients} producer with {@code acks=all}, idempotence, lz4; key =
 * community_id for messages, user_id for clicks and orders; record timestamp = event time (stream
 * time for malformed records). {@code --speed X} paces emission at X event-time ms per wall ms;
 * {@code --rate N} caps records per second; without either, records go out as fast as possible.
 */
public final class GeneratorCli {

    static final String USAGE = String.join("\n",
            "usage: pulse generate (--out DIR | --bootstrap HOST:PORT) [options]",
            "  --out DIR               write DIR/pulse.{messages,clicks,orders}.jsonl and DIR/truth.json",
            "  --bootstrap HOST:PORT   produce to Kafka topics pulse.messages, pulse.clicks, pulse.orders",
            "  --truth FILE            with --bootstrap: where to write the ground truth JSON",
            "  --seed N                random seed (default 42); same seed and options give identical bytes",
            "  --communities N         number of communities (default 50)",
            "  --members N             number of members (default 2000)",
            "  --days N                event-time span in days (default 3)",
            "  --start ISO             first event time, e.g. 2026-01-01T00:00:00+08:00 (the default)",
            "  --events N              approximate number of good events (default 100000)",
            "  --dup-rate R            duplicates per good event, 0..1 (default 0.01)",
            "  --ooo-rate R            out-of-order share of good events, 0..1 (default 0.02)",
            "  --late-rate R           late events per good event, 0..1 (default 0.002)",
            "  --malformed-rate R      malformed records per good event, 0..1 (default 0.002)",
            "  --max-disorder-ms N     largest out-of-order delay in event time (default 5000)",
            "  --late-by-ms N          how far behind stream time late events are (default 2700000)",
            "  --churner-fraction R    share of members planted as churners (default 0.02)",
            "  --weekly-fraction R     share of members planted as weekly regulars (default 0.01)",
            "  --negative-episodes N   planted negative episodes (default 3)",
            "  --churn-spikes N        planted churn spikes (default 2)",
            "  --campaigns N           planted conversion campaigns (default 3)",
            "  --random-days           ordinary members act on independent random days instead of a rhythm of their own",
            "  --speed X               live pacing: event-time ms per wall ms (default: as fast as possible)",
            "  --rate N                live pacing: at most N records per second",
            "  --help                  this text");

    private GeneratorCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. Never throws for bad input. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            err.println("pulse generate: " + e.getMessage());
            return UsageException.EXIT_CODE;
        }
        if (o.help) {
            out.println(USAGE);
            return 0;
        }
        EventGenerator g = new EventGenerator(o.config);
        Pacer pacer = new Pacer(o.speed, o.rate, System::nanoTime);
        long t0 = System.nanoTime();
        GroundTruth truth;
        String target;
        try {
            if (o.out != null) {
                truth = JsonlWriter.write(g, o.out, pacer::await);
                target = o.out.toString();
            } else {
                truth = produce(g, o.bootstrap, pacer);
                if (o.truthFile != null) truth.writeJson(o.truthFile);
                target = o.bootstrap;
            }
        } catch (RuntimeException e) {
            err.println("pulse generate: " + oneLine(e));
            return 1;
        }
        double secs = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        long produced = truth.total(GroundTruth.TopicCounts::produced);
        out.printf(java.util.Locale.ROOT,
                "generated %d records (good %d, out-of-order %d, duplicates %d, late %d, malformed %d) in %.1f s (%.0f records/s) -> %s%n",
                produced, truth.total(GroundTruth.TopicCounts::goodUnique), truth.total(GroundTruth.TopicCounts::outOfOrder),
                truth.total(GroundTruth.TopicCounts::duplicates), truth.total(GroundTruth.TopicCounts::late),
                truth.total(GroundTruth.TopicCounts::malformed), secs, produced / secs, target);
        return 0;
    }

    private static GroundTruth produce(EventGenerator g, String bootstrap, Pacer pacer) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // Fail within a minute when no broker answers instead of hanging on metadata.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000"); // a loaded 2-core CI machine can stall the broker for a minute
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (g.hasNext() && failure.get() == null) {
                GeneratedRecord r = g.next();
                pacer.await(r);
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value()), (md, ex) -> {
                    if (ex != null) failure.compareAndSet(null, ex);
                });
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("cannot produce to Kafka at " + bootstrap + ": " + oneLine(e), e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("cannot produce to Kafka at " + bootstrap + ": " + oneLine(failure.get()));
        }
        return g.truth();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    // ---- command line -------------------------------------------------------------------------

    static final class Options {
        GeneratorConfig config;
        Path out;
        String bootstrap;
        Path truthFile;
        double speed;
        double rate;
        boolean help;
    }

    static final Option<Path> OUT = Option.of("out", "", "output directory", Path::of);
    static final Option<String> BOOTSTRAP = Option.of("bootstrap", "", "Kafka bootstrap servers", v -> {
        if (!v.matches("[^:,\\s]+:\\d+(,[^:,\\s]+:\\d+)*")) throw new UsageException("--bootstrap must be HOST:PORT, e.g. localhost:9092 (got '" + v + "')");
        return v;
    });
    static final Option<Path> TRUTH = Option.of("truth", "", "ground truth file with --bootstrap", Path::of);
    static final Option<Long> SEED = Option.of("seed", "42", "random seed", v -> parseLong("--seed", v));
    static final Option<Long> COMMUNITIES = whole("communities", 1, Integer.MAX_VALUE);
    static final Option<Long> MEMBERS = whole("members", 1, Integer.MAX_VALUE);
    static final Option<Long> DAYS = whole("days", 1, 3650);
    static final Option<Long> START = Option.of("start", "", "first event time", v -> parseInstant("--start", v));
    static final Option<Long> EVENTS = whole("events", 1, Long.MAX_VALUE);
    static final Option<Double> DUP_RATE = rate("dup-rate");
    static final Option<Double> OOO_RATE = rate("ooo-rate");
    static final Option<Double> LATE_RATE = rate("late-rate");
    static final Option<Double> MALFORMED_RATE = rate("malformed-rate");
    static final Option<Long> MAX_DISORDER_MS = whole("max-disorder-ms", 1, Long.MAX_VALUE);
    static final Option<Long> LATE_BY_MS = whole("late-by-ms", 1, Long.MAX_VALUE);
    static final Option<Double> CHURNER_FRACTION = rate("churner-fraction");
    static final Option<Double> WEEKLY_FRACTION = rate("weekly-fraction");
    static final Option<Long> NEGATIVE_EPISODES = whole("negative-episodes", 0, 100_000);
    static final Option<Long> CHURN_SPIKES = whole("churn-spikes", 0, 100_000);
    static final Option<Long> CAMPAIGNS = whole("campaigns", 0, 100_000);
    static final Option<Boolean> RANDOM_DAYS = Option.flag("random-days", "members act on independent random days");
    static final Option<Double> SPEED = positive("speed");
    static final Option<Double> RATE = positive("rate");

    private static final Flags FLAGS = Flags.of(OUT, BOOTSTRAP, TRUTH, SEED, COMMUNITIES, MEMBERS, DAYS, START, EVENTS, DUP_RATE, OOO_RATE,
            LATE_RATE, MALFORMED_RATE, MAX_DISORDER_MS, LATE_BY_MS, CHURNER_FRACTION, WEEKLY_FRACTION, NEGATIVE_EPISODES, CHURN_SPIKES,
            CAMPAIGNS, RANDOM_DAYS, SPEED, RATE);

    private static Option<Long> whole(String key, long min, long max) {
        return Option.of(key, "", key, v -> parseLong("--" + key, v, min, max));
    }

    private static Option<Double> rate(String key) {
        return Option.of(key, "", key, v -> parseRate("--" + key, v));
    }

    private static Option<Double> positive(String key) {
        return Option.of(key, "", key, v -> parsePositive("--" + key, v));
    }

    static Options parse(String[] args) {
        Options o = new Options();
        Flags.Parsed f = FLAGS.parse(args);
        if (f.help()) {
            o.help = true;
            return o;
        }
        GeneratorConfig.Builder b = GeneratorConfig.builder();
        if (f.has(OUT)) o.out = f.get(OUT);
        if (f.has(BOOTSTRAP)) o.bootstrap = f.get(BOOTSTRAP);
        if (f.has(TRUTH)) o.truthFile = f.get(TRUTH);
        if (f.has(SEED)) b.seed(f.get(SEED));
        if (f.has(COMMUNITIES)) b.communities(f.get(COMMUNITIES).intValue());
        if (f.has(MEMBERS)) b.members(f.get(MEMBERS).intValue());
        if (f.has(DAYS)) b.days(f.get(DAYS).intValue());
        if (f.has(START)) b.startTs(f.get(START));
        if (f.has(EVENTS)) b.eventsTarget(f.get(EVENTS));
        if (f.has(DUP_RATE)) b.duplicateRate(f.get(DUP_RATE));
        if (f.has(OOO_RATE)) b.outOfOrderRate(f.get(OOO_RATE));
        if (f.has(LATE_RATE)) b.lateRate(f.get(LATE_RATE));
        if (f.has(MALFORMED_RATE)) b.malformedRate(f.get(MALFORMED_RATE));
        if (f.has(MAX_DISORDER_MS)) b.maxDisorderMs(f.get(MAX_DISORDER_MS));
        if (f.has(LATE_BY_MS)) b.lateByMs(f.get(LATE_BY_MS));
        if (f.has(CHURNER_FRACTION)) b.churnerFraction(f.get(CHURNER_FRACTION));
        if (f.has(WEEKLY_FRACTION)) b.weeklyFraction(f.get(WEEKLY_FRACTION));
        if (f.has(NEGATIVE_EPISODES)) b.negativeEpisodes(f.get(NEGATIVE_EPISODES).intValue());
        if (f.has(CHURN_SPIKES)) b.churnSpikes(f.get(CHURN_SPIKES).intValue());
        if (f.has(CAMPAIGNS)) b.campaigns(f.get(CAMPAIGNS).intValue());
        if (f.has(RANDOM_DAYS)) b.randomDays(true);
        if (f.has(SPEED)) o.speed = f.get(SPEED);
        if (f.has(RATE)) o.rate = f.get(RATE);
        if ((o.out == null) == (o.bootstrap == null)) {
            throw new UsageException("give exactly one of --out DIR or --bootstrap HOST:PORT");
        }
        if (o.truthFile != null && o.out != null) {
            throw new UsageException("--truth is for --bootstrap; with --out the truth goes to DIR/truth.json");
        }
        try {
            o.config = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return o;
    }

    private static long parseLong(String flag, String v) {
        return parseLong(flag, v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static long parseLong(String flag, String v, long min, long max) {
        long x;
        try {
            x = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a whole number (got '" + v + "')");
        }
        if (x < min || x > max) throw new UsageException(flag + " must be between " + min + " and " + max + " (got " + x + ")");
        return x;
    }

    private static double parseRate(String flag, String v) {
        double x = parseDouble(flag, v);
        if (!(x >= 0 && x <= 1)) throw new UsageException(flag + " must be between 0 and 1 (got " + v + ")");
        return x;
    }

    private static double parsePositive(String flag, String v) {
        double x = parseDouble(flag, v);
        if (!(x > 0) || Double.isInfinite(x)) throw new UsageException(flag + " must be a positive number (got " + v + ")");
        return x;
    }

    private static double parseDouble(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a number (got '" + v + "')");
        }
    }

    private static long parseInstant(String flag, String v) {
        try {
            return java.time.OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(flag + " must be an ISO date-time with offset, e.g. 2026-01-01T00:00:00+08:00 (got '" + v + "')");
        }
    }

    /**
     * Live pacing: with {@code --speed} a record is held until wall time has caught up with its
     * event time; with {@code --rate} until its slot in a fixed records-per-second schedule.
     */
    static final class Pacer {
        private final double speed;
        private final double rate;
        private final LongSupplier nanos;
        private long wallStart = Long.MIN_VALUE;
        private long eventStart;
        private long count;

        Pacer(double speed, double rate, LongSupplier nanos) {
            this.speed = speed;
            this.rate = rate;
            this.nanos = nanos;
        }

        /** Nanoseconds after the first record at which {@code r} may go out. */
        long dueNanos(GeneratedRecord r) {
            if (wallStart == Long.MIN_VALUE) {
                wallStart = nanos.getAsLong();
                eventStart = r.timestamp();
            }
            long due = 0;
            // Late and out-of-order records sit behind the stream; they go out with their neighbours.
            if (speed > 0) due = Math.max(due, (long) (Math.max(0, r.timestamp() - eventStart) / speed * 1e6));
            if (rate > 0) due = Math.max(due, (long) (count / rate * 1e9));
            count++;
            return due;
        }

        void await(GeneratedRecord r) {
            if (speed <= 0 && rate <= 0) return;
            long due = dueNanos(r);
            long wait = wallStart + due - nanos.getAsLong();
            if (wait > 1_000_000) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while pacing");
                }
            }
        }
    }
}
