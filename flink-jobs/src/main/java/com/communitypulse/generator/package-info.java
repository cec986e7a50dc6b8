/**
 * Deterministic event generator with planted ground truth, for demos, load tests and pipeline tests.
 *
 * <pre>
 *  GeneratorConfig ──► Simulation (seeded; wires the parts below, one random stream)
 *                        Population: Zipf-sized communities, archetypes (lurker / chatter /
 *                          buyer / opinion leader / staff), joins and leaves, calibration
 *                        GroundTruthPlanter: churners, weekly regulars, churn spikes,
 *                          negative episodes, campaigns; writes GroundTruth at the end
 *                        ActorSchedule: Member-, Episode-, Campaign-, RefundActor in one
 *                          time-ordered heap; EventEmitter turns their actions into events
 *                        SimTime (Asia/Shanghai days, daily rhythm), Distributions, Ids
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
