package org.recurrent4j.cli;

/** An error the user can fix: its message names the thing and the fix. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
