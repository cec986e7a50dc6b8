package com.communitypulse.generator;

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
            return 2;
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

    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        GeneratorConfig.Builder b = GeneratorConfig.builder();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                o.help = true;
                return o;
            }
            if (!flag.startsWith("--")) throw new UsageException("unexpected argument '" + flag + "'; see --help");
            if (flag.equals("--random-days")) {
                b.randomDays(true);
                continue;
            }
            String v;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                v = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= args.length) throw new UsageException(flag + " needs a value; see --help");
                v = args[++i];
            }
            switch (flag) {
                case "--out": o.out = Path.of(v); break;
                case "--bootstrap":
                    if (!v.matches("[^:,\\s]+:\\d+(,[^:,\\s]+:\\d+)*")) throw new UsageException("--bootstrap must be HOST:PORT, e.g. localhost:9092 (got '" + v + "')");
                    o.bootstrap = v;
                    break;
                case "--truth": o.truthFile = Path.of(v); break;
                case "--seed": b.seed(parseLong(flag, v)); break;
                case "--communities": b.communities((int) parseLong(flag, v, 1, Integer.MAX_VALUE)); break;
                case "--members": b.members((int) parseLong(flag, v, 1, Integer.MAX_VALUE)); break;
                case "--days": b.days((int) parseLong(flag, v, 1, 3650)); break;
                case "--start": b.startTs(parseInstant(flag, v)); break;
                case "--events": b.eventsTarget(parseLong(flag, v, 1, Long.MAX_VALUE)); break;
                case "--dup-rate": b.duplicateRate(parseRate(flag, v)); break;
                case "--ooo-rate": b.outOfOrderRate(parseRate(flag, v)); break;
                case "--late-rate": b.lateRate(parseRate(flag, v)); break;
                case "--malformed-rate": b.malformedRate(parseRate(flag, v)); break;
                case "--max-disorder-ms": b.maxDisorderMs(parseLong(flag, v, 1, Long.MAX_VALUE)); break;
                case "--late-by-ms": b.lateByMs(parseLong(flag, v, 1, Long.MAX_VALUE)); break;
                case "--churner-fraction": b.churnerFraction(parseRate(flag, v)); break;
                case "--weekly-fraction": b.weeklyFraction(parseRate(flag, v)); break;
                case "--negative-episodes": b.negativeEpisodes((int) parseLong(flag, v, 0, 100_000)); break;
                case "--churn-spikes": b.churnSpikes((int) parseLong(flag, v, 0, 100_000)); break;
                case "--campaigns": b.campaigns((int) parseLong(flag, v, 0, 100_000)); break;
                case "--speed": o.speed = parsePositive(flag, v); break;
                case "--rate": o.rate = parsePositive(flag, v); break;
                default: throw new UsageException("unknown flag " + flag + "; see --help");
            }
        }
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

    private static long parseLong(String flag, String v) throws UsageException {
        return parseLong(flag, v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static long parseLong(String flag, String v, long min, long max) throws UsageException {
        long x;
        try {
            x = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a whole number (got '" + v + "')");
        }
        if (x < min || x > max) throw new UsageException(flag + " must be between " + min + " and " + max + " (got " + x + ")");
        return x;
    }

    private static double parseRate(String flag, String v) throws UsageException {
        double x = parseDouble(flag, v);
        if (!(x >= 0 && x <= 1)) throw new UsageException(flag + " must be between 0 and 1 (got " + v + ")");
        return x;
    }

    private static double parsePositive(String flag, String v) throws UsageException {
        double x = parseDouble(flag, v);
        if (!(x > 0) || Double.isInfinite(x)) throw new UsageException(flag + " must be a positive number (got " + v + ")");
        return x;
    }

    private static double parseDouble(String flag, String v) throws UsageException {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a number (got '" + v + "')");
        }
    }

    private static long parseInstant(String flag, String v) throws UsageException {
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
