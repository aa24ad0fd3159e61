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
     * Checks that {@code file} (given by {@code option}) can be written as a file: not a directory, and no parent of it
     * a regular file. Missing parent directories are created when the file is written. Refuses a file that exists and
     * is not a regular file (a device, a pipe), and one of the command's {@code inputs}.
     */
    static void checkWritable(String option, java.nio.file.Path file, java.nio.file.Path... inputs) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new UserException(option + " " + file + " is a directory: name the file to write, e.g. "
                    + file.resolve("model.zip"));
        }
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            throw new UserException(option + " " + file + " is not a regular file (a device or pipe): name a file "
                    + "to write");
        }
        try {
            org.recurrent4j.io.AtomicFiles.requireDistinct(file, inputs);
        } catch (java.io.IOException e) {
            throw new UserException(option + " " + e.getMessage());
        }
        for (java.nio.file.Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.exists(p)) {
                if (!java.nio.file.Files.isDirectory(p)) {
                    throw new UserException(option + " " + file + ": " + p + " is a file, not a directory");
                }
                if (!java.nio.file.Files.isWritable(p)) {
                    throw new UserException(option + " " + file + ": cannot write into " + p);
                }
                return;
            }
        }
    }
}
