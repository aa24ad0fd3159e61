package org.recurrent4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.recurrent4j.backend.RuntimeReport;
import org.recurrent4j.bench.BenchConfig;
import org.recurrent4j.bench.BenchResult;
import org.recurrent4j.bench.Benchmark;
import org.recurrent4j.engine.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Times recurrent4j's layers against DL4J's built-in ones. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time a training step, an inference call or a streaming step of recurrent4j "
        + "against DL4J's built-in layer (LSTM, SimpleRnn; DL4J has no GRU), each warmed up, median of --iters.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
    String cell;
    @Option(names = "--batch", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--time", defaultValue = "50", description = "Time steps. Default: ${DEFAULT-VALUE}")
    int time;
    @Option(names = "--input", defaultValue = "100", description = "Input features. Default: ${DEFAULT-VALUE}")
    int input;
    @Option(names = "--hidden", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}")
    int layers;
    @Option(names = "--bidirectional", description = "Wrap each layer in DL4J's Bidirectional.")
    boolean bidirectional;
    @Option(names = "--mode", defaultValue = "train", description = "train, infer or step. Default: ${DEFAULT-VALUE}")
    String mode;
    @Option(names = "--iters", defaultValue = "20", description = "Timed iterations. Default: ${DEFAULT-VALUE}")
    int iters;
    /** recurrent4j's gate loops reach C2's code after 25-40 training iterations (50 steps each), DL4J's ops at once. */
    @Option(names = "--warmup", defaultValue = "20",
            description = "Untimed iterations first, for the JIT; warm-up lasts at least 5 s and 200 iterations "
                    + "(up to 20 s) whatever this says. Default: ${DEFAULT-VALUE}")
    int warmup;
    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;
    @Option(names = "--serve", description = "Time blocks of iterations on request instead, for tools/speed_table.py "
            + "to alternate with PyTorch: reads 'warm IMPL', 'run IMPL K' and 'quit' from standard input, answers "
            + "one JSON line each (IMPL: recurrent4j or dl4j).")
    boolean serve;

    @Mixin
    BackendOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        BenchConfig config = new BenchConfig(cell, batch, time, input, hidden, layers, bidirectional, mode, iters,
                warmup);
        String backend = options.activate(json || serve).summary();   // the table prints the BLAS warning
        PrintWriter out = spec.commandLine().getOut();
        if (serve) {
            new Benchmark(config).serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    out);
            return 0;
        }
        List<BenchResult> results = new Benchmark(config).run(null);
        if (json) {
            results.forEach(r -> out.println(r.toJson()));
        } else {
            out.printf(Locale.ROOT, "%s %s, batch %d, %d steps, %d inputs, hidden %d, %d layer(s)%s; median of %d%n",
                    config.cell(), config.mode(), config.mode().equals("step") ? 1 : config.batch(), config.time(),
                    config.input(), config.hidden(), config.layers(), config.bidirectional() ? ", bidirectional" : "",
                    config.iters());
            out.println("backend: " + backend);
            RuntimeReport.blasKernels().forEach((k, v) -> out.println(k + ": " + v));
            out.println("recurrent4j cpu kernels: " + Kernels.cpuThreads());
            out.printf(Locale.ROOT, "%-12s %12s %14s %12s %14s%n", "impl", "ms/iter", "tokens/s", "heap MB",
                    "off-heap MB");
            for (BenchResult r : results) {
                out.printf(Locale.ROOT, "%-12s %12.2f %14.0f %12.1f %14.1f%n", r.impl(), r.msPerIter(),
                        r.tokensPerSecond(), r.peakHeapBytes() / 1048576.0, r.peakOffHeapBytes() / 1048576.0);
            }
            if (results.size() == 2) {
                out.printf(Locale.ROOT, "recurrent4j is %.2fx faster than DL4J's built-in layer%n",
                        results.get(1).msPerIter() / results.get(0).msPerIter());
            } else {
                out.println("DL4J has no built-in " + config.cell() + " layer to compare with");
            }
        }
        out.flush();
        return 0;
    }
}
