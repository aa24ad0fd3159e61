package org.recurrent4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Times recurrent4j against DL4J's built-in layer on the same data: each in turn warms up (at least 5 s) and runs
 * {@code --iters} timed iterations; the median is reported. On a shared machine run it in rounds, alternating with
 * the peer, and compare per round.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchConfig config;

    public Benchmark(BenchConfig config) {
        this.config = config;
    }

    /** Runs the benchmark; the recurrent4j result first, then DL4J's where DL4J has the cell. */
    public List<BenchResult> run(Consumer<String> progress) {
        DataSet data = data();
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, config.input());
        List<String> impls = new ArrayList<>(List.of("recurrent4j"));
        if (BenchNetworks.dl4jHas(config.cell())) {
            impls.add("dl4j");
        }
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (String impl : impls) {
            nets.add(BenchNetworks.build(config, impl.equals("dl4j")));
        }
        double[][] times = new double[impls.size()][config.iters()];
        long[] heap = new long[impls.size()];
        long[] offHeap = new long[impls.size()];
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        // each implementation on its own, warm first (see warming), so that the JIT
        // has compiled the hot loops (C2 reaches the gate loops after 25-40 calls, and small calls take a
        // millisecond), as in a training job, which runs warm. Interleaving the two iteration by iteration made each
        // evict the other's caches (recurrent4j's LSTM inference at batch 1: 1.08 ms interleaved, 0.68 ms alone)
        for (int k = 0; k < nets.size(); k++) {
            MultiLayerNetwork net = nets.get(k);
            String impl = impls.get(k);
            warmUp(net, data, one, progress == null ? null : w -> progress.accept(impl + ": warm-up " + w));
            for (int i = 0; i < config.iters(); i++) {
                long t0 = System.nanoTime();
                once(net, data, one);
                times[k][i] = (System.nanoTime() - t0) / 1e6;
                heap[k] = Math.max(heap[k], mem.getHeapMemoryUsage().getUsed());
                offHeap[k] = Math.max(offHeap[k], Pointer.totalBytes());
                if (progress != null) {
                    progress.accept(impls.get(k) + ": iteration " + (i + 1));
                }
            }
        }
        List<BenchResult> results = new ArrayList<>();
        for (int k = 0; k < nets.size(); k++) {
            results.add(new BenchResult(impls.get(k), config, median(times[k]), heap[k], offHeap[k]));
        }
        return results;
    }

    /** The random batch every implementation runs on: uniform features, one random class per step (seeded). */
    private DataSet data() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, config.batch(), config.input(), config.time());
        INDArray y = Nd4j.zeros(DataType.FLOAT, config.batch(), BenchConfig.CLASSES, config.time());
        java.util.Random r = new java.util.Random(11);
        for (int b = 0; b < config.batch(); b++) {
            for (int t = 0; t < config.time(); t++) {
                y.putScalar(new long[]{b, r.nextInt(BenchConfig.CLASSES), t}, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    /**
     * Times blocks of iterations on request, so that a driver ({@code tools/speed_table.py}) can alternate this
     * process with its peers' (PyTorch at each of its settings) block by block: all of them then meet the same
     * periods of a shared machine, which one run after the other does not. Reads one command a line from {@code in}
     * and answers each with one JSON line on {@code out}:
     * <ul>
     *   <li>{@code warm IMPL}: builds IMPL's network ({@code recurrent4j}, or {@code dl4j} where DL4J has the
     *       cell) and warms it up as {@link #run} does (at least 5 s and 200 iterations, up to 20 s); answers
     *       {@code {"impl":..,"warm_iters":N,"ms_per_iter":M}}, M the median of 5 iterations after it;</li>
     *   <li>{@code run IMPL K}: K timed iterations (K >= 1) of a warmed network; answers {@code {"impl":..,
     *       "iters":K,"ms_per_iter":median,"min_ms":..,"max_ms":..}};</li>
     *   <li>{@code quit} or the end of the input: returns.</li>
     * </ul>
     * A command that cannot be done (unknown, malformed, an implementation not warmed or not there) is answered
     * {@code {"error":"..."}} naming it, and the next line is read.
     *
     * @throws IOException where {@code in} cannot be read
     */
    public void serve(BufferedReader in, PrintWriter out) throws IOException {
        DataSet data = data();
        INDArray one = Nd4j.rand(DataType.FLOAT, 1, config.input());
        Map<String, MultiLayerNetwork> nets = new HashMap<>();
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            String answer;
            if (w[0].equals("quit")) {
                return;
            } else if (w.length == 2 && w[0].equals("warm")) {
                answer = warm(w[1], nets, data, one);
            } else if (w.length == 3 && w[0].equals("run")) {
                answer = timeBlock(w[1], w[2], nets.get(w[1]), data, one);
            } else {
                answer = error("unknown command '" + line.trim() + "': use warm IMPL, run IMPL K or quit");
            }
            out.println(answer);
            out.flush();
        }
    }

    private String warm(String impl, Map<String, MultiLayerNetwork> nets, DataSet data, INDArray one) {
        if (!impl.equals("recurrent4j") && !(impl.equals("dl4j") && BenchNetworks.dl4jHas(config.cell()))) {
            return error("no implementation '" + impl + "' for " + config.cell() + ": use recurrent4j"
                    + (BenchNetworks.dl4jHas(config.cell()) ? " or dl4j" : " (DL4J has no " + config.cell() + ")"));
        }
        MultiLayerNetwork net = nets.computeIfAbsent(impl, k -> BenchNetworks.build(config, k.equals("dl4j")));
        int done = warmUp(net, data, one, null);
        double[] t = times(net, data, one, 5);
        return json("impl", impl, "warm_iters", done, "ms_per_iter", median(t));
    }

    private String timeBlock(String impl, String count, MultiLayerNetwork net, DataSet data, INDArray one) {
        int k;
        try {
            k = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            k = 0;
        }
        if (k < 1) {
            return error("run " + impl + " " + count + ": the count of iterations must be a whole number from 1 to "
                    + Integer.MAX_VALUE);
        }
        if (net == null) {
            return error("run " + impl + ": not warmed up; send 'warm " + impl + "' first");
        }
        double[] t = times(net, data, one, k);
        double[] s = t.clone();
        Arrays.sort(s);
        return json("impl", impl, "iters", k, "ms_per_iter", median(t), "min_ms", s[0], "max_ms", s[s.length - 1]);
    }

    /**
     * Runs untimed iterations while {@link #warming} says so, telling {@code onIteration} (where not null) the count
     * done after each; returns the count.
     */
    private int warmUp(MultiLayerNetwork net, DataSet data, INDArray one, IntConsumer onIteration) {
        long start = System.nanoTime();
        int done = 0;
        while (warming(done, System.nanoTime() - start)) {
            once(net, data, one);
            done++;
            if (onIteration != null) {
                onIteration.accept(done);
            }
        }
        return done;
    }

    private double[] times(MultiLayerNetwork net, DataSet data, INDArray one, int k) {
        double[] t = new double[k];
        for (int i = 0; i < k; i++) {
            long t0 = System.nanoTime();
            once(net, data, one);
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }

    private static String error(String message) {
        return json("error", message);
    }

    /** One JSON object from alternating names and values, in that order. */
    private static String json(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void once(MultiLayerNetwork net, DataSet data, INDArray one) {
        switch (config.mode()) {
            case "train" -> net.fit(data);
            case "infer" -> net.output(data.getFeatures());
            default -> net.rnnTimeStep(one);   // one token of an endless stream, state kept between calls
        }
    }

    /**
     * Whether to go on warming up after {@code done} iterations and {@code nanos}: at least --warmup iterations and
     * 5 s, and 200 iterations where they take under 20 s. Until the JIT has compiled the engine's large loops (on a
     * busy 2-core machine its compiler threads compete with the work) timings move: a GRU training step timed over
     * 40 iterations after 3 s of warm-up took 20.7 ms, after 200 iterations 14.6 ms, over 200 iterations 12.6 ms.
     */
    private boolean warming(int done, long nanos) {
        return done < config.warmup() || nanos < 5_000_000_000L || (done < 200 && nanos < 20_000_000_000L);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
