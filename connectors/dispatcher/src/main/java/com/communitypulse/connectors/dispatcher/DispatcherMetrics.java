package com.communitypulse.connectors.dispatcher;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The dispatcher's Prometheus metrics (prefix {@code pulse_dispatcher_}), labelled by channel where
 * it applies. A message is one HTTP delivery (an alert or a digest); alert counters count alerts,
 * also those inside digests.
 */
final class DispatcherMetrics {

    final Counter consumed;
    final Counter invalid;
    final Counter unrouted;
    final Counter messagesDelivered;
    final Counter alertsDelivered;
    final Counter digested;
    final Counter retried;
    final Counter failedAttempts;
    final Counter deadLettered;
    final Counter duplicates;
    final Histogram latency;
    final Gauge pending;

    DispatcherMetrics(PrometheusRegistry registry) {
        consumed = Counter.builder().name("pulse_dispatcher_alerts_consumed")
                .help("Records read from the alerts topic").register(registry);
        invalid = Counter.builder().name("pulse_dispatcher_alerts_invalid")
                .help("Records that are not valid alerts (dead-lettered)").register(registry);
        unrouted = Counter.builder().name("pulse_dispatcher_alerts_unrouted")
                .help("Alerts that no routing rule selects").register(registry);
        messagesDelivered = Counter.builder().name("pulse_dispatcher_messages_delivered")
                .help("Messages accepted by the channel (kind=alert|digest)").labelNames("channel", "kind").register(registry);
        alertsDelivered = Counter.builder().name("pulse_dispatcher_alerts_delivered")
                .help("Alerts delivered, individually or inside a digest").labelNames("channel").register(registry);
        digested = Counter.builder().name("pulse_dispatcher_alerts_digested")
                .help("Alerts delivered inside a digest because of the rate limit").labelNames("channel").register(registry);
        retried = Counter.builder().name("pulse_dispatcher_retries")
                .help("Retries scheduled after a failed attempt").labelNames("channel").register(registry);
        failedAttempts = Counter.builder().name("pulse_dispatcher_failed_attempts")
                .help("Delivery attempts that failed (timeout, connection, HTTP or robot error)").labelNames("channel").register(registry);
        deadLettered = Counter.builder().name("pulse_dispatcher_alerts_dead_lettered")
                .help("Alerts written to the undelivered topic after retries were exhausted").labelNames("channel").register(registry);
        duplicates = Counter.builder().name("pulse_dispatcher_duplicates_skipped")
                .help("Alerts not sent again because they were already delivered").labelNames("channel").register(registry);
        latency = Histogram.builder().name("pulse_dispatcher_delivery_latency_seconds")
                .help("From the first attempt to acceptance, retries included").labelNames("channel")
                .classicOnly().classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
                .register(registry);
        pending = Gauge.builder().name("pulse_dispatcher_pending_deliveries")
                .help("Deliveries read but not yet delivered or dead-lettered").register(registry);
    }

    void initChannel(String channel) {
        messagesDelivered.initLabelValues(channel, "alert");
        messagesDelivered.initLabelValues(channel, "digest");
        for (Counter c : new Counter[] {alertsDelivered, digested, retried, failedAttempts, deadLettered, duplicates}) {
            c.initLabelValues(channel);
        }
        latency.initLabelValues(channel);
    }
}
