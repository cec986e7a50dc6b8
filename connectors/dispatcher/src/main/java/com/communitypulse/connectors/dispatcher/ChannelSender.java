package com.communitypulse.connectors.dispatcher;

import com.communitypulse.connectors.dispatcher.channel.Channel;
import com.communitypulse.connectors.dispatcher.channel.Message;
import com.communitypulse.connectors.dispatcher.channel.Outcome;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Delivers one channel's alerts: a FIFO queue, at most {@code concurrency} messages in flight (a
 * message waiting for its retry timer counts, so with concurrency 1 alerts arrive in order), the
 * rate limit with digesting, and retries.
 *
 * <p>Rate limit: a message is sent individually only while the sliding window has room and no digest
 * is collecting; otherwise the alert joins the digest, which is sent {@code digestIntervalMs} after
 * its first alert. Digests are not rate-limited themselves but at most one is sent per interval, so a
 * flood reaches the channel as at most {@code max_messages} per window plus one digest per interval,
 * and every alert is in exactly one of them.
 *
 * <p>Threads: {@link #submit} and {@link #tick} run on the consumer thread; HTTP completions and retry
 * timers on the client's and the timer's threads. All state is guarded by {@code this}; listener
 * callbacks are made without holding the lock.
 */
final class ChannelSender {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChannelSender.class);

    /** Outcomes reported to the dispatcher. */
    interface Listener {
        void delivered(ChannelSender sender, Message m, List<Item> items, int attempts, long latencyNanos);

        void retrying(ChannelSender sender, Message m, int attempt, String error);

        void exhausted(ChannelSender sender, Message m, List<Item> items, int attempts, String lastError);
    }

    /** One (alert, channel) pair to deliver, and the source offsets waiting for it. */
    static final class Item {
        final Alert alert;
        final String key;
        private final List<OffsetTracker.Ticket> tickets = new ArrayList<>();
        private boolean finished;

        Item(Alert alert, String key, OffsetTracker.Ticket first) {
            this.alert = alert;
            this.key = key;
            tickets.add(first);
        }

        /** A duplicate record waits for this item's outcome; false if the outcome is already final. */
        synchronized boolean attach(OffsetTracker.Ticket t) {
            if (finished) {
                return false;
            }
            tickets.add(t);
            return true;
        }

        synchronized List<OffsetTracker.Ticket> finish() {
            finished = true;
            return List.copyOf(tickets);
        }
    }

    private static final class Outgoing {
        final Message message;
        final List<Item> items;
        final byte[] body;
        int attempts;
        long firstAttemptNanos;

        Outgoing(Message message, List<Item> items, byte[] body) {
            this.message = message;
            this.items = items;
            this.body = body;
        }
    }

    private final Channel channel;
    private final RateLimiter limiter;
    private final long digestIntervalMs;
    private final int concurrency;
    private final int maxAttempts;
    private final Backoff backoff;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final Listener listener;
    /** Wall clock for per-attempt signatures. */
    private final LongSupplier clock;
    private final UnaryOperator<String> mask;
    private final long hardTimeoutMs;

    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private List<Item> digest = new ArrayList<>();
    private long digestSince;
    private int inFlight;
    private int activeRequests;
    private boolean stopped;

    ChannelSender(Channel channel, RateLimiter limiter, long digestIntervalMs, int concurrency, int maxAttempts,
                  Backoff backoff, HttpClient http, ScheduledExecutorService timer, Listener listener,
                  LongSupplier clock, UnaryOperator<String> mask, long requestTimeoutMs) {
        this.channel = channel;
        this.limiter = limiter;
        this.digestIntervalMs = digestIntervalMs;
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.http = http;
        this.timer = timer;
        this.listener = listener;
        this.clock = clock;
        this.mask = mask;
        // The client's request timeout covers the response headers; this also bounds a stalled body.
        this.hardTimeoutMs = requestTimeoutMs * 2 + 1000;
    }

    Channel channel() {
        return channel;
    }

    String name() {
        return channel.name();
    }

    void submit(Item item) {
        List<Outgoing> start;
        synchronized (this) {
            queue.addLast(item);
            start = pump();
        }
        start.forEach(this::attempt);
    }

    /** Sends a digest that has waited long enough; called regularly by the consumer loop. */
    void tick() {
        List<Outgoing> start;
        synchronized (this) {
            start = pump();
        }
        start.forEach(this::attempt);
    }

    synchronized int activeRequests() {
        return activeRequests;
    }

    synchronized int waiting() {
        return queue.size() + digest.size();
    }

    /** No new attempts from now on; retries waiting on a timer are abandoned (their offsets stay uncommitted). */
    synchronized void stop() {
        stopped = true;
    }

    private List<Outgoing> pump() {
        List<Outgoing> start = new ArrayList<>();
        // Monotonic: a wall-clock step must neither open nor close the rate window.
        long now = System.nanoTime() / 1_000_000;
        while (!stopped) {
            if (!digest.isEmpty() && now - digestSince >= digestIntervalMs && inFlight < concurrency) {
                List<Item> items = digest;
                digest = new ArrayList<>();
                start.add(outgoing(Message.digest(items.stream().map(i -> i.alert).toList()), items));
                inFlight++;
                continue;
            }
            if (queue.isEmpty()) {
                break;
            }
            if (limiter != null && (!digest.isEmpty() || !limiter.available(now))) {
                if (digest.isEmpty()) {
                    digestSince = now;
                }
                digest.add(queue.pollFirst());
                continue;
            }
            if (inFlight >= concurrency) {
                break;
            }
            if (limiter != null) {
                limiter.acquire(now);
            }
            Item item = queue.pollFirst();
            start.add(outgoing(Message.single(item.alert), List.of(item)));
            inFlight++;
        }
        return start;
    }

    private Outgoing outgoing(Message m, List<Item> items) {
        return new Outgoing(m, items, channel.body(m));
    }

    private void attempt(Outgoing o) {
        HttpRequest request;
        synchronized (this) {
            if (stopped) {
                inFlight--;
                return;
            }
            activeRequests++;
        }
        o.attempts++;
        if (o.attempts == 1) {
            o.firstAttemptNanos = System.nanoTime();
        }
        try {
            request = channel.request(o.message, o.body, clock.getAsLong()).build();
        } catch (RuntimeException e) {
            finishAttempt(o, Outcome.fail("cannot build request: " + e.getClass().getSimpleName()));
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .orTimeout(hardTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((resp, err) -> {
                    Outcome out;
                    try {
                        out = err != null ? Outcome.retry(describe(err), 0)
                                : channel.classify(resp.statusCode(), resp.headers(), resp.body());
                    } catch (RuntimeException | StackOverflowError e) {
                        // A bug here must not strand the message (and its offset) forever.
                        LOG.error("Judging the response of {} failed", channel.name(), e);
                        out = Outcome.retry("internal error: " + e.getClass().getSimpleName(), 0);
                    }
                    finishAttempt(o, out);
                });
    }

    private void finishAttempt(Outgoing o, Outcome out) {
        synchronized (this) {
            activeRequests--;
        }
        if (out.kind() == Outcome.Kind.DELIVERED) {
            listener.delivered(this, o.message, o.items, o.attempts, System.nanoTime() - o.firstAttemptNanos);
            release();
        } else if (out.kind() == Outcome.Kind.RETRY && o.attempts < maxAttempts) {
            listener.retrying(this, o.message, o.attempts, out.error());
            try {
                timer.schedule(() -> attempt(o), backoff.delayMs(o.attempts, out.retryAfterMs()), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                synchronized (this) {
                    inFlight--;
                }
            }
        } else {
            listener.exhausted(this, o.message, o.items, o.attempts, out.error());
            release();
        }
    }

    private void release() {
        List<Outgoing> start;
        synchronized (this) {
            inFlight--;
            start = pump();
        }
        start.forEach(this::attempt);
    }

    /** Error text for logs and dead letters: the kind of failure, never the URL (it may hold a token). */
    private String describe(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "timeout";
        }
        if (t instanceof ConnectException) {
            return "connection failed";
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + mask.apply(msg));
    }
}
