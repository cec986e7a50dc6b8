package com.communitypulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a running job through Flink's REST API (the MiniCluster's web endpoint) and keeps what the
 * benchmark report needs: when all tasks run (sources start reading), the mean busy / back-pressured /
 * idle time per task (a vertex = a chain of operators), and the last checkpoint statistics seen.
 *
 * <p>Endpoints used (Flink 2.x REST API): {@code GET /jobs/:jid} (vertices, their status and record
 * counts), {@code GET /jobs/:jid/vertices/:vid/subtasks/metrics?get=...&agg=avg} (task time
 * metrics) and {@code GET /jobs/:jid/checkpoints} (counts, summary percentiles, latest completed).
 * A per-job MiniCluster shuts down with its job, so everything is sampled while it runs.
 */
final class RestProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMES_EVERY_NANOS = 4_000_000_000L;
    private static final String TIME_METRICS = "busyTimeMsPerSecond,backPressuredTimeMsPerSecond,idleTimeMsPerSecond";

    /** Sampled task time of one vertex (operator chain). */
    static final class VertexTimes {
        final String name;
        final int parallelism;
        double busySum;
        double backpressureSum;
        double idleSum;
        int samples;
        long recordsIn;
        long recordsOut;
        /** What the vertex's source operator emitted (only counted with {@code sourceOperators}). */
        long sourceOperatorOut;

        VertexTimes(String name, int parallelism) {
            this.name = name;
            this.parallelism = parallelism;
        }

        double busy() { return samples == 0 ? 0 : busySum / samples; }
        double backpressure() { return samples == 0 ? 0 : backpressureSum / samples; }
        double idle() { return samples == 0 ? 0 : idleSum / samples; }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String jobId;
    private final Map<String, VertexTimes> vertices = new LinkedHashMap<>();
    private volatile long firstRecordNanos = Long.MIN_VALUE;
    private volatile JsonNode lastCheckpoints;
    private volatile long firstCpuNanos = Long.MIN_VALUE;
    private volatile long firstJitNanos;
    private volatile long counterSum = -1;
    private volatile long sourceRecords;
    private volatile long lastMoveNanos = Long.MIN_VALUE;
    private volatile long lastMoveCpuNanos = Long.MIN_VALUE;
    private volatile long lastMoveJitNanos;
    private volatile boolean running = true;
    private final Thread thread;
    private long lastTimesNanos = Long.MIN_VALUE;
    /** Count what the source operators emit instead of what the source tasks write (see the constructor). */
    private final boolean sourceOperators;
    /** Per source vertex, the id of its source operator's {@code numRecordsOut} metric, once found. */
    private final Map<String, String> sourceOutMetric = new LinkedHashMap<>();

    RestProbe(int port, String jobId) {
        this(port, jobId, false);
    }

    /**
     * With {@code sourceOperators}, {@link #sourceRecords()} is the sum of each source operator's own
     * {@code numRecordsOut}: for a job whose source task chains an aggregation (the SQL peer's local
     * aggregate) the task writes far fewer records than it reads.
     */
    RestProbe(int port, String jobId, boolean sourceOperators) {
        this.base = "http://127.0.0.1:" + port;
        this.jobId = jobId;
        this.sourceOperators = sourceOperators;
        this.thread = new Thread(this::loop, "bench-rest-probe");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Wall time ({@link System#nanoTime()}) when every source task of the job was first seen RUNNING (they read from then on), or MIN_VALUE. */
    long firstRecordNanos() {
        return firstRecordNanos;
    }

    /** This process's CPU time when {@link #firstRecordNanos()} was taken, or MIN_VALUE. */
    long firstCpuNanos() {
        return firstCpuNanos;
    }

    /** Records the source tasks have passed on so far (each input record leaves its source chain as exactly one record). */
    long sourceRecords() {
        return sourceRecords;
    }

    /**
     * Wall time of the first poll that saw every vertex's record counters at their current values,
     * i.e. the last time the job was seen moving records (within one poll and one metric fetch), or MIN_VALUE.
     */
    long lastMoveNanos() {
        return lastMoveNanos;
    }

    /** This process's CPU time at {@link #lastMoveNanos()}. */
    long lastMoveCpuNanos() {
        return lastMoveCpuNanos;
    }

    /** CPU time of the JIT compiler threads from {@link #firstRecordNanos()} to {@link #lastMoveNanos()} (see {@link ProcessStats#jitCpuNanos()}). */
    long jitNanosWhileMoving() {
        return Math.max(0, lastMoveJitNanos - firstJitNanos);
    }

    /** Asks the job for a checkpoint now ({@code POST /jobs/:jid/checkpoints}, Flink 1.19+); false if the request failed. */
    boolean triggerCheckpoint() {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/checkpoints")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"checkpointType\":\"CONFIGURED\"}")).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The latest completed checkpoint straight from the REST API (not the cached poll): its id and trigger time, or null. */
    JsonNode latestCompleted() throws IOException {
        JsonNode cps = get("/jobs/" + jobId + "/checkpoints");
        if (cps == null || cps.path("counts").path("completed").asLong() == 0) return null;
        lastCheckpoints = cps;
        return cps.path("latest").path("completed");
    }

    /** Whether the job has been seen with every vertex RUNNING. */
    boolean allRunning() {
        try {
            JsonNode job = get("/jobs/" + jobId);
            if (job == null || !"RUNNING".equals(job.path("state").asText())) return false;
            for (JsonNode v : job.path("vertices")) {
                if (!"RUNNING".equals(v.path("status").asText())) return false;
            }
            return job.path("vertices").size() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    List<VertexTimes> vertices() {
        synchronized (vertices) {
            return new ArrayList<>(vertices.values());
        }
    }

    /** The last {@code /checkpoints} answer seen (null if none). */
    JsonNode checkpoints() {
        return lastCheckpoints;
    }

    private void loop() {
        while (running) {
            long t = System.nanoTime();
            try {
                poll(t);
            } catch (IOException | RuntimeException e) {
                // the MiniCluster may be starting or gone; keep what we have
            }
            long sleep = firstRecordNanos == Long.MIN_VALUE ? 100 : 1000;
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll(long t) throws IOException {
        JsonNode job = get("/jobs/" + jobId);
        if (job == null) return;
        boolean sourcesRunning = job.path("vertices").size() > 0;
        long sum = 0;
        long sources = 0;
        for (JsonNode v : job.path("vertices")) {
            String id = v.path("id").asText();
            String name = v.path("name").asText();
            VertexTimes vt;
            synchronized (vertices) {
                vt = vertices.computeIfAbsent(id, k -> new VertexTimes(name, v.path("parallelism").asInt()));
            }
            vt.recordsIn = Math.max(vt.recordsIn, v.path("metrics").path("read-records").asLong());
            vt.recordsOut = Math.max(vt.recordsOut, v.path("metrics").path("write-records").asLong());
            sum += vt.recordsIn + vt.recordsOut;
            if (name.startsWith("Source:")) {
                sourcesRunning &= "RUNNING".equals(v.path("status").asText());
                sources += sourceOperators ? sourceOperatorOut(id, vt) : vt.recordsOut;
                if (sourceOperators) sum += vt.sourceOperatorOut;
            }
        }
        sourceRecords = sources;
        if (sum != counterSum) {
            counterSum = sum;
            lastMoveNanos = t;
            lastMoveCpuNanos = ProcessStats.cpuNanos();
            lastMoveJitNanos = ProcessStats.jitCpuNanos();
        }
        // Sources read as soon as their tasks run (downstream buffers fill even before the other tasks
        // run): "every source task RUNNING" marks the first record without depending on the sampled metrics.
        if (firstRecordNanos == Long.MIN_VALUE) {
            if (!sourcesRunning) return;
            firstCpuNanos = ProcessStats.cpuNanos();
            firstJitNanos = ProcessStats.jitCpuNanos();
            firstRecordNanos = t;
            // Counters seen before the sources ran belong to the start, not to the end of the drain.
            lastMoveNanos = t;
            lastMoveCpuNanos = firstCpuNanos;
            lastMoveJitNanos = firstJitNanos;
        }
        // Record counters every poll (they mark the end of a drain); task times, one request per vertex, every few seconds.
        if (lastTimesNanos != Long.MIN_VALUE && t - lastTimesNanos < TIMES_EVERY_NANOS) return;
        lastTimesNanos = t;
        for (VertexTimes vt : vertices()) {
            String id = idOf(vt);
            JsonNode m = get("/jobs/" + jobId + "/vertices/" + id + "/subtasks/metrics?get=" + TIME_METRICS + "&agg=avg");
            if (m == null || m.size() == 0) continue;
            double busy = Double.NaN, bp = Double.NaN, idle = Double.NaN;
            for (JsonNode x : m) {
                double a = x.path("avg").asDouble(Double.NaN);
                switch (x.path("id").asText()) {
                    case "busyTimeMsPerSecond": busy = a; break;
                    case "backPressuredTimeMsPerSecond": bp = a; break;
                    case "idleTimeMsPerSecond": idle = a; break;
                    default: break;
                }
            }
            if (Double.isNaN(busy) && Double.isNaN(bp)) continue;
            synchronized (vertices) {
                vt.busySum += Double.isNaN(busy) ? 0 : busy;
                vt.backpressureSum += Double.isNaN(bp) ? 0 : bp;
                vt.idleSum += Double.isNaN(idle) ? 0 : idle;
                vt.samples++;
            }
        }
        JsonNode cps = get("/jobs/" + jobId + "/checkpoints");
        if (cps != null && cps.path("counts").path("completed").asLong() > 0) {
            lastCheckpoints = cps;
        }
    }

    /** The source operator's {@code numRecordsOut} summed over the vertex's subtasks (never less than seen before). */
    private long sourceOperatorOut(String vertexId, VertexTimes vt) throws IOException {
        String metric = sourceOutMetric.get(vertexId);
        if (metric == null) {
            JsonNode ids = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics");
            if (ids == null) return vt.sourceOperatorOut;
            for (JsonNode m : ids) {
                String id = m.path("id").asText();
                if (id.startsWith("Source__") && id.endsWith(".numRecordsOut")) metric = id;
            }
            if (metric == null) return vt.sourceOperatorOut;
            sourceOutMetric.put(vertexId, metric);
        }
        JsonNode m = get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?get="
                + java.net.URLEncoder.encode(metric, java.nio.charset.StandardCharsets.UTF_8) + "&agg=sum");
        if (m != null && m.size() > 0) vt.sourceOperatorOut = Math.max(vt.sourceOperatorOut, (long) m.get(0).path("sum").asDouble());
        return vt.sourceOperatorOut;
    }

    private String idOf(VertexTimes vt) {
        synchronized (vertices) {
            for (Map.Entry<String, VertexTimes> e : vertices.entrySet()) {
                if (e.getValue() == vt) return e.getKey();
            }
        }
        throw new IllegalStateException("unknown vertex");
    }

    private JsonNode get(String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
