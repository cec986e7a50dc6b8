package com.communitypulse.testutils;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures everything logged in this JVM at INFO and above (Flink, Kafka clients, the job) while
 * open, so privacy tests can grep the log text. Levels are raised to INFO for the capture — that is
 * where Kafka clients dump their configs — and the file configuration is restored on close.
 */
public final class LogCapture implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);

    public LogCapture() {
        Configuration c = ctx.getConfiguration();
        WriterAppender a = WriterAppender.newBuilder().setName("privacy-capture").setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%d %-5p %c - %m%n%throwable").build()).build();
        a.start();
        c.addAppender(a);
        for (String name : new String[] {"", "org.apache.kafka", "org.apache.flink", "com.communitypulse"}) {
            LoggerConfig lc = name.isEmpty() ? c.getRootLogger() : c.getLoggerConfig(name);
            if (!lc.getName().equals(name)) {
                lc = new LoggerConfig(name, Level.INFO, true);
                c.addLogger(name, lc);
            }
            lc.setLevel(Level.INFO);
            lc.addAppender(a, Level.INFO, null);
        }
        ctx.updateLoggers();
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        ctx.reconfigure();
    }
}
