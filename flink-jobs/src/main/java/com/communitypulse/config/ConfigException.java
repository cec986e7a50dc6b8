package com.communitypulse.config;

/** A bad configuration value or flag. The message is one line that names the fix; never print its stack trace. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
