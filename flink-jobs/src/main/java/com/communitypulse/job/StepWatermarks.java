package com.communitypulse.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that advance as records arrive (whenever the maximum event
 * time has moved by at least {@code step} and at least {@code everyRecords} records arrived since
 * the last one), not only on the periodic timer.
 *
 * <p>Why: with purely periodic watermarks, whether an event is "late" depends on how many records
 * were read in the last 200 ms of wall time — at replay speed that is hours of event time, so the
 * same input could be late in one run and on time in the next. Advancing with the data makes the
 * watermark of each partition a function of that partition's records, so replays, file mode and
 * the Kafka path agree. The periodic emit still runs and never moves the watermark backwards.
 */
public class StepWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private final long step;
    private final int everyRecords;
    private int sinceEmit;
    private long maxTs;
    private long lastEmitted = Long.MIN_VALUE;

    public StepWatermarks(long outOfOrdernessMs, long stepMs) {
        this(outOfOrdernessMs, stepMs, 1);
    }

    public StepWatermarks(long outOfOrdernessMs, long stepMs, int everyRecords) {
        this.outOfOrderness = outOfOrdernessMs;
        this.step = stepMs;
        this.everyRecords = everyRecords;
        this.maxTs = Long.MIN_VALUE + outOfOrdernessMs + 1;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return; // dead letters carry no event time
        }
        sinceEmit++;
        if (eventTimestamp > maxTs) {
            maxTs = eventTimestamp;
            long wm = maxTs - outOfOrderness - 1;
            if (lastEmitted == Long.MIN_VALUE || (wm >= lastEmitted + step && sinceEmit >= everyRecords)) {
                lastEmitted = wm;
                sinceEmit = 0;
                output.emitWatermark(new Watermark(wm));
            }
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long wm = maxTs - outOfOrderness - 1;
        if (wm > lastEmitted) {
            lastEmitted = wm;
            output.emitWatermark(new Watermark(wm));
        }
    }
}
