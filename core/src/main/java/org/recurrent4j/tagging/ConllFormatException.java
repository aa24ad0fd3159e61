package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Path;

/** A CoNLL file that cannot be read; the message names the file, the line and what was expected. */
public class ConllFormatException extends IOException {
    public ConllFormatException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    public ConllFormatException(Path file, String message) {
        super(file + ": " + message);
    }
}
