/**
 * Deterministic event generator with planted ground truth, for demos, load tests and pipeline tests.
 *
 * <pre>
 *  GeneratorConfig ──► Simulation (seeded; actors in one time-ordered heap)
 *                        members: lurker / chatter / buyer / opinion leader / staff,
 *                        Zipf-sized communities, Asia/Shanghai daily rhythm,
 *                        planted churners, weekly regulars, negative episodes,
 *                        churn spikes, campaigns, refunds
 *                            │ good PulseEvents in event-time order
 *                            ▼
 *                      EventGenerator (second seeded stream: faults)
 *                        out-of-order ≤ maxDisorderMs, duplicates (same bytes),
 *                        late (lateByMs behind), malformed (rejected by EventParser)
 *                            │ GeneratedRecord(topic, key, value, timestamp, kind, eventId)
 *              ┌─────────────┴──────────────┐
 *              ▼                            ▼
 *        JsonlWriter                  GeneratorCli --bootstrap
 *   DIR/pulse.*.jsonl + truth.json   Kafka topics (acks=all, lz4) [+ --truth FILE]
 * </pre>
 *
 * <h2>How to run</h2>
 * <pre>
 * pulse generate --out /tmp/run                                    # or GeneratorCli.run(args, out, err)
 * GroundTruth t = JsonlWriter.write(GeneratorConfig.defaults(), Path.of("/tmp/run"));
 * </pre>
 * Unit tests: {@code mvn -B -q -o -pl flink-jobs -am test -Dtest='com.communitypulse.generator.*Test'
 * -Dsurefire.failIfNoSpecifiedTests=false}; the real-Kafka check is {@code GeneratorKafkaITCase}.
 */
package com.communitypulse.generator;
