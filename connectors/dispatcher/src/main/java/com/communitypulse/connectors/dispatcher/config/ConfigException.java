package com.communitypulse.connectors.dispatcher.config;

/** A configuration problem, worded as one line that names the setting and the fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
