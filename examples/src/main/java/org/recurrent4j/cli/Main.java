package org.recurrent4j.cli;

import java.io.PrintWriter;
import org.recurrent4j.backend.BlasCore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The recurrent4j command line. It wires the library together and holds no math. */
@Command(name = "recurrent4j", mixinStandardHelpOptions = true, version = "recurrent4j 0.1.0",
        description = "Fast recurrent layers for Deeplearning4j: tools, demos and benchmarks.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, TagCommand.class, DataCommand.class,
                BackendCommand.class, SeedRnnCommand.class, ImportTorchCommand.class, ImportKerasCommand.class, BenchCommand.class, ChartCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /**
     * JavaCPP reads the process's resident size on every native allocation while a physical-memory limit is set;
     * ND4J allocates for every view and shape, so a streaming step spent 40% of its time there (0.40 -> 0.22 ms per
     * LSTM {@code rnnTimeStep} without it). The off-heap limit ({@code maxbytes}) still holds. A limit set on the
     * command line is kept.
     */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    public static void main(String[] args) {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null
                && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
        BlasCore.chooseBeforeLoad();   // before anything loads ND4J, and with it OpenBLAS
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
