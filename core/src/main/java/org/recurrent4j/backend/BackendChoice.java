package org.recurrent4j.backend;

import java.util.Locale;

/** What a user asks for: {@code auto} takes CUDA where a usable GPU path is, the CPU elsewhere. */
public enum BackendChoice {
    AUTO, CPU, CUDA;

    /** Environment variable read when no choice is given explicitly. */
    public static final String ENV_VAR = "RECURRENT4J_BACKEND";

    /**
     * Parses {@code auto}, {@code cpu} or {@code cuda} (any case).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static BackendChoice parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown backend '" + value + "': use auto, cpu or cuda");
        }
    }

    /** The choice named by {@value #ENV_VAR}, or {@link #AUTO} where it is unset. */
    public static BackendChoice fromEnvironment() {
        return parse(System.getenv(ENV_VAR));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
