package org.recurrent4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The recurrent4j command line. It wires the library together and holds no math. */
@Command(name = "recurrent4j", mixinStandardHelpOptions = true, version = "recurrent4j 0.1.0",
        description = "Fast recurrent layers for Deeplearning4j: tools, demos and benchmarks.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, TagCommand.class, DataCommand.class,
                BackendCommand.class, SeedRnnCommand.class, ImportTorchCommand.class, BenchCommand.class, ChartCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl.execute(args);
    }
}
