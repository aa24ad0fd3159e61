package org.recurrent4j.cli;

/** An error the user can fix: its message names the thing and the fix. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Checks that {@code file} (given by {@code option}) can be written as a file, before any work:
     * {@link org.recurrent4j.io.AtomicFiles#checkWritable}, its refusal as this command's error.
     */
    static void checkWritable(String option, java.nio.file.Path file, java.nio.file.Path... inputs) {
        try {
            org.recurrent4j.io.AtomicFiles.checkWritable(file, inputs);
        } catch (java.io.IOException e) {
            throw new UserException(option + " " + e.getMessage());
        }
    }
}
