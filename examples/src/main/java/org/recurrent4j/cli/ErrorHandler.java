package org.recurrent4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns errors a user can cause into one line on standard error and a non-zero exit; the stack trace only with
 * {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    /** Exit code for bad input, a missing file or an unusable backend. */
    static final int USER_ERROR = 1;
    /** Exit code for a failure that is a bug. */
    static final int INTERNAL_ERROR = 70;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        boolean user = ex instanceof UserException || ex instanceof IllegalArgumentException
                || ex instanceof org.recurrent4j.backend.BackendUnavailableException
                || ex instanceof java.io.IOException;
        String msg = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName();
        cl.getErr().println("error: " + msg);
        if (verbose || !user) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return user ? USER_ERROR : INTERNAL_ERROR;
    }
}
