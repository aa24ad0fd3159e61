package org.recurrent4j.backend;

/** The backend that was asked for cannot run here; the message says why and what to do. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
