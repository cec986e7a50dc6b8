package com.communitypulse.connectors.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API that running a job needs: upload and run a jar, watch the job
 * and its tasks, trigger stop-with-savepoint, find the latest retained checkpoint, cancel. Errors
 * from the cluster are thrown as {@link FlinkRestException} with Flink's own message.
 */
public final class FlinkRest {
    private static final ObjectMapper OM = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** A call the cluster refused or could not serve. */
    public static final class FlinkRestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String body;

        FlinkRestException(String message, Throwable cause) {
            this(message, cause, "");
        }

        FlinkRestException(String message, Throwable cause, String body) {
            super(message, cause);
            this.body = body;
        }

        /** The whole response body of a refused call (Flink puts the cause's stack trace there), or "". */
        public String body() {
            return body;
        }
    }

    public String baseUrl() {
        return base;
    }

    /** Uploads a job jar; returns its id on the cluster. */
    public String uploadJar(Path jar) {
        String boundary = "----pulse" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkRestException("cannot read job jar " + jar + ": " + e.getMessage(), e);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        String filename = send(req).path("filename").asText();
        if (filename.isEmpty()) {
            throw new FlinkRestException("jar upload returned no file name", null);
        }
        return Path.of(filename).getFileName().toString();
    }

    /**
     * Runs an uploaded jar; returns the job id.
     *
     * @param savepointPath a savepoint or retained checkpoint to start from, or null
     */
    public String run(String jarId, String entryClass, int parallelism, List<String> args, String savepointPath, boolean allowNonRestoredState) {
        ObjectNode body = OM.createObjectNode();
        body.put("entryClass", entryClass);
        body.put("parallelism", parallelism);
        body.putPOJO("programArgsList", args);
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        return send(post("/jars/" + jarId + "/run", body, Duration.ofMinutes(2))).path("jobid").asText();
    }

    /** Upload and run in one go. */
    public String submit(Path jar, String entryClass, int parallelism, List<String> args, String savepointPath) {
        return run(uploadJar(jar), entryClass, parallelism, args, savepointPath, false);
    }

    public JsonNode job(String jobId) {
        return send(get("/jobs/" + jobId));
    }

    /** CREATED, RUNNING, FAILING, FAILED, CANCELLING, CANCELED, FINISHED, RESTARTING, ... */
    public String jobState(String jobId) {
        return job(jobId).path("state").asText();
    }

    /**
     * True when the job is RUNNING and every subtask of every vertex is RUNNING (or already FINISHED):
     * a job only counts as recovered once its tasks process records again, not when the scheduler
     * has merely switched its state.
     */
    public boolean allTasksRunning(String jobId) {
        JsonNode j = job(jobId);
        if (!"RUNNING".equals(j.path("state").asText())) return false;
        for (JsonNode v : j.path("vertices")) {
            int parallelism = v.path("parallelism").asInt();
            int up = v.path("tasks").path("RUNNING").asInt() + v.path("tasks").path("FINISHED").asInt();
            if (up < parallelism) return false;
        }
        return true;
    }

    /** Waits until {@link #allTasksRunning}; returns how long that took. */
    public Duration awaitAllTasksRunning(String jobId, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (allTasksRunning(jobId)) return Duration.ofNanos(System.nanoTime() - t0);
                String s = jobState(jobId);
                if (s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED")) {
                    throw new FlinkRestException("job " + jobId + " is " + s + " while waiting for it to run: " + rootException(jobId), null);
                }
            } catch (FlinkRestException e) {
                if (e.getCause() == null) throw e;
                // transient: the JobManager may still be starting
            }
            sleep(200);
        }
        throw new FlinkRestException("job " + jobId + " not running with all tasks after " + timeout.toSeconds() + " s (state "
                + safeState(jobId) + ")", null);
    }

    /** Waits for FINISHED, CANCELED or FAILED and returns it. */
    public String awaitTerminal(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String s = jobState(jobId);
            if (s.equals("FINISHED") || s.equals("CANCELED") || s.equals("FAILED")) return s;
            sleep(300);
        }
        throw new FlinkRestException("job " + jobId + " did not end within " + timeout.toSeconds() + " s (state " + safeState(jobId) + ")", null);
    }

    /** How often the job has restarted (Flink's {@code numRestarts} job metric). */
    public long numRestarts(String jobId) {
        for (JsonNode m : send(get("/jobs/" + jobId + "/metrics?get=numRestarts"))) {
            if (m.path("id").asText().equals("numRestarts")) return m.path("value").asLong();
        }
        return 0;
    }

    /** The checkpointing the job runs with ({@code /jobs/:id/checkpoints/config}: interval, state backend, storage, ...). */
    public JsonNode checkpointConfig(String jobId) {
        return send(get("/jobs/" + jobId + "/checkpoints/config"));
    }

    /** The job's execution config ({@code /jobs/:id/config}: restart strategy, parallelism, ...). */
    public JsonNode jobConfig(String jobId) {
        return send(get("/jobs/" + jobId + "/config"));
    }

    /** Completed checkpoints so far. */
    public long completedCheckpoints(String jobId) {
        return send(get("/jobs/" + jobId + "/checkpoints")).path("counts").path("completed").asLong();
    }

    /** External path of the latest completed checkpoint, or null. */
    public String latestCheckpoint(String jobId) {
        JsonNode c = send(get("/jobs/" + jobId + "/checkpoints")).path("latest").path("completed");
        return c.isMissingNode() || c.isNull() ? null : c.path("external_path").asText(null);
    }

    /**
     * Stop-with-savepoint. With {@code drain} the sources emit MAX_WATERMARK first, so every window and
     * event-time timer fires, exactly as at the end of a bounded input. Returns the savepoint path.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, boolean drain, Duration timeout) {
        ObjectNode body = OM.createObjectNode();
        if (targetDirectory != null) body.put("targetDirectory", targetDirectory);
        body.put("drain", drain);
        String trigger = send(post("/jobs/" + jobId + "/stop", body, Duration.ofSeconds(30))).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = send(get("/jobs/" + jobId + "/savepoints/" + trigger));
            if (r.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode op = r.path("operation");
                if (op.has("failure-cause")) {
                    throw new FlinkRestException("stop-with-savepoint of " + jobId + " failed: " + op.path("failure-cause").path("stack-trace").asText("")
                            .lines().findFirst().orElse("?"), null);
                }
                return op.path("location").asText();
            }
            sleep(300);
        }
        throw new FlinkRestException("stop-with-savepoint of " + jobId + " did not complete within " + timeout.toSeconds() + " s", null);
    }

    public void cancel(String jobId) {
        send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel")).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    public int taskManagerCount() {
        return send(get("/taskmanagers")).path("taskmanagers").size();
    }

    /** Ids of all jobs the cluster knows, with their states. */
    public JsonNode jobs() {
        return send(get("/jobs/overview")).path("jobs");
    }

    /** The first line of the job's latest root exception, or "none". */
    /** The whole stack trace of the job's root exception, or "" when there is none. */
    public String rootExceptionTrace(String jobId) {
        return send(get("/jobs/" + jobId + "/exceptions")).path("root-exception").asText("");
    }

    public String rootException(String jobId) {
        try {
            JsonNode e = send(get("/jobs/" + jobId + "/exceptions"));
            String trace = e.path("root-exception").asText("");
            return trace.isEmpty() ? "none" : trace.lines().findFirst().orElse("?");
        } catch (FlinkRestException ex) {
            return "unknown (" + ex.getMessage() + ")";
        }
    }

    void awaitTaskManagers(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (taskManagerCount() >= n) return;
            } catch (FlinkRestException ignored) {
                // JobManager still starting
            }
            sleep(300);
        }
        throw new IllegalStateException(n + " TaskManagers did not register within " + timeout.toSeconds() + " s");
    }

    private String safeState(String jobId) {
        try {
            return jobState(jobId);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).GET().build();
    }

    private HttpRequest post(String path, JsonNode body, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private JsonNode send(HttpRequest req) {
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new FlinkRestException("no Flink cluster answers at " + base + " (start one with 'pulse cluster start')", e);
        } catch (IOException e) {
            throw new FlinkRestException(req.method() + " " + req.uri().getPath() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException("interrupted", e);
        }
        JsonNode json;
        try {
            json = r.body().isEmpty() ? OM.createObjectNode() : OM.readTree(r.body());
        } catch (IOException e) {
            throw new FlinkRestException(req.method() + " " + req.uri().getPath() + " returned " + r.statusCode() + " and no JSON", null);
        }
        if (r.statusCode() >= 400) {
            String msg = json.path("errors").isArray() && json.path("errors").size() > 0
                    ? json.path("errors").get(json.path("errors").size() > 1 ? 1 : 0).asText().lines().findFirst().orElse("")
                    : r.body();
            throw new FlinkRestException(req.method() + " " + req.uri().getPath() + " → " + r.statusCode() + ": " + msg, null, r.body());
        }
        return json;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException("interrupted", e);
        }
    }
}
