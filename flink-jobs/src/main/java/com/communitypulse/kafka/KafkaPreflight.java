package com.communitypulse.kafka;

import com.communitypulse.flags.UsageException;
import com.communitypulse.config.PulseConfig;
import com.communitypulse.security.KafkaSecurity;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Connects once with the job's client settings before the job is submitted. Without it, wrong
 * credentials or an untrusted certificate surface only inside the sources, where Flink's restart
 * strategy retries them forever; here they become one line naming the setting to fix.
 */
public final class KafkaPreflight {
    private KafkaPreflight() {}

    public static void check(PulseConfig cfg, Map<String, String> env, long timeoutMs) {
        KafkaSecurity security = KafkaConnections.security(cfg, env);
        Properties p = KafkaConnections.clientProperties(cfg, env);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeoutMs));
        String bootstrap = cfg.get(PulseConfig.BOOTSTRAP);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failure(security, e, bootstrap);
        } catch (TimeoutException e) {
            throw new UsageException("Kafka at " + bootstrap + " did not answer within " + timeoutMs / 1000 + " s: check kafka.bootstrap-servers and "
                    + KafkaSecurity.PROTOCOL + " (" + security.protocol() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while connecting to Kafka at " + bootstrap);
        } catch (RuntimeException e) {
            throw failure(security, e, bootstrap);
        }
    }

    private static UsageException failure(KafkaSecurity security, Throwable e, String bootstrap) {
        String explained = security.explain(e, bootstrap);
        if (explained != null) {
            return new UsageException(explained);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().split("\\R", 2)[0];
        return new UsageException("cannot connect to Kafka at " + bootstrap + ": " + security.mask(m));
    }
}
