package com.communitypulse.connectors.dispatcher;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which source offsets may be committed. A record's offset is outstanding until each of its
 * deliveries has been delivered, skipped as a duplicate or dead-lettered; the committable offset of
 * a partition is its lowest outstanding offset (or one past the last record read). Tickets may be
 * finished from any thread; everything else runs on the consumer thread.
 */
final class OffsetTracker {

    /** One outstanding delivery of the record at {@code offset}; {@code epoch} ties it to one assignment. */
    record Ticket(TopicPartition partition, long offset, long epoch) {}

    private static final class Progress {
        final long epoch;
        final TreeMap<Long, int[]> outstanding = new TreeMap<>();
        long next = -1;
        long committed = -1;

        Progress(long epoch) {
            this.epoch = epoch;
        }

        long committable() {
            return outstanding.isEmpty() ? next : outstanding.firstKey();
        }
    }

    private final Map<TopicPartition, Progress> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<Ticket> finished = new ConcurrentLinkedQueue<>();
    private long epochs;
    private int outstanding;

    void assigned(Collection<TopicPartition> tps) {
        for (TopicPartition tp : tps) {
            partitions.put(tp, new Progress(++epochs));
        }
    }

    void revoked(Collection<TopicPartition> tps) {
        drain();
        for (TopicPartition tp : tps) {
            Progress p = partitions.remove(tp);
            if (p != null) {
                p.outstanding.values().forEach(c -> outstanding -= c[0]);
            }
        }
    }

    /** Registers a record with {@code deliveries} outstanding deliveries (0 = nothing to do). */
    Ticket track(TopicPartition tp, long offset, int deliveries) {
        Progress p = partitions.computeIfAbsent(tp, k -> new Progress(++epochs));
        p.next = Math.max(p.next, offset + 1);
        if (deliveries > 0) {
            p.outstanding.put(offset, new int[] {deliveries});
            outstanding += deliveries;
        }
        return new Ticket(tp, offset, p.epoch);
    }

    /** Adds one more outstanding delivery to an already tracked record. */
    void addDelivery(Ticket t) {
        Progress p = partitions.get(t.partition());
        if (p != null && p.epoch == t.epoch()) {
            p.outstanding.computeIfAbsent(t.offset(), k -> new int[1])[0]++;
            outstanding++;
        }
    }

    /** Thread-safe: the delivery behind {@code t} is final. */
    void finish(Ticket t) {
        finished.add(t);
    }

    void drain() {
        Ticket t;
        while ((t = finished.poll()) != null) {
            Progress p = partitions.get(t.partition());
            if (p == null || p.epoch != t.epoch()) {
                continue; // partition revoked meanwhile: its new owner re-reads the record
            }
            int[] c = p.outstanding.get(t.offset());
            if (c != null) {
                outstanding--;
                if (--c[0] <= 0) {
                    p.outstanding.remove(t.offset());
                }
            }
        }
    }

    /** Offsets that advanced since the last call (for {@code commitSync}); marks them committed. */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> only) {
        drain();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long c = p.committable();
            if ((only == null || only.contains(tp)) && c > p.committed && c >= 0) {
                out.put(tp, new OffsetAndMetadata(c));
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Progress p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /** Deliveries read but not yet final, over all partitions. */
    int outstanding() {
        return outstanding;
    }
}
