/**
 * Moderator alerts (CONTRACT §6): the general alert record, deterministic ids and JSON, and the
 * negative-sentiment alert functions.
 *
 * <pre>
 *  SentimentFunction ── ScoredMessage (no text) ── keyBy(community) ─┬─ NegativeMessageFunction ─┐
 *                                                                    └─ NegativeSpikeFunction ───┴─▶ AlertRecord ─ AlertJson ─▶ pulse.alerts
 * </pre>
 *
 * <ul>
 *   <li>{@link com.communitypulse.alerts.AlertRecord}: one POJO for every alert type; evidence is a
 *       pre-serialized JSON object built with {@link com.communitypulse.alerts.Evidence}.</li>
 *   <li>{@link com.communitypulse.alerts.AlertIds}: SHA-256 of type, community, user, anchor event time
 *       and discriminators; the same input always yields the same id, so consumers de-duplicate.</li>
 *   <li>Every decision is taken in event-time timers over state that does not depend on arrival
 *       order, so a replay (or a different interleaving of parallel inputs) yields the same alerts;
 *       only {@code emitted_at} is wall-clock ({@link com.communitypulse.alerts.WallClock}).</li>
 *   <li>Churn alerts ({@code MEMBER_AT_RISK}, {@code MEMBER_CHURNED}, {@code CHURN_SPIKE}) reuse the same
 *       classes: member alerts set {@code userId}, spikes set {@code state} (firing/resolved).</li>
 * </ul>
 *
 * <p>Schema: {@code src/main/resources/schemas/alert.schema.json}; configuration:
 * {@code alerts.negative-message.*} and {@code alerts.negative-spike.*} in {@link com.communitypulse.config.PulseConfig}.
 */
package com.communitypulse.alerts;
