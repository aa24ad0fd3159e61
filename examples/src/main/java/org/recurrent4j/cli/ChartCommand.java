package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.recurrent4j.bench.BenchChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Draws bench results as a PNG bar chart. */
@Command(name = "chart", mixinStandardHelpOptions = true, description = "Draw the JSON lines of bench --json (and tools/torch_bench.py --json) as a "
        + "PNG bar chart.")
final class ChartCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RESULTS.jsonl", description = "Files of JSON lines.")
    List<Path> inputs;
    @Option(names = "--out", required = true, description = "The PNG to write.")
    Path out;
    @Option(names = "--title", defaultValue = "recurrent4j bench", description = "Default: ${DEFAULT-VALUE}")
    String title;

    @Override
    public Integer call() throws Exception {
        for (Path p : inputs) {
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new UserException("no such file: " + p);
            }
        }
        BenchChart.write(BenchChart.read(inputs), title, out);
        System.out.println("wrote " + out);
        return 0;
    }
}
