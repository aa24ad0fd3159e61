package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.recurrent4j.examples.SeedRnn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The article's worked Elman RNN example, step by step. */
@Command(name = "seed-rnn", mixinStandardHelpOptions = true, description = "Run the article's worked Elman RNN example (all weights 1) step by step.")
final class SeedRnnCommand implements Callable<Integer> {

    @Mixin
    BackendOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.activate();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Elman RNN 2 -> 2 (identity, no bias, U = W = 1), output layer 2 -> 2 (identity, no bias, V = 1)");
        List<SeedRnn.Step> steps = SeedRnn.run(SeedRnn.network(), SeedRnn.inputs());
        for (int t = 0; t < steps.size(); t++) {
            SeedRnn.Step s = steps.get(t);
            int n = t + 1;
            out.printf("t=%d  x%d = %s%n", n, n, vec(s.x()));
            out.printf("      h%d = U·x%d + W·h%d = %s + %s = %s%n", n, n, n - 1, vec(s.ux()), vec(s.wh()), vec(s.h()));
            out.printf("      y%d = V·h%d = %s%n", n, n, vec(s.y()));
        }
        out.flush();
        return 0;
    }

    static String vec(double[] v) {
        return Arrays.stream(v).mapToObj(d -> d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
