package org.recurrent4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times recurrent4j against DL4J's built-in layer on the same data: each in turn warms up (at least 5 s) and runs
 * {@code --iters} timed iterations; the median is reported. On a shared machine run it in rounds, alternating with
 * the peer, and compare per round.
 */
public final class Benchmark {

    private final BenchConfig config;

    public Benchmark(BenchConfig config) {
        this.config = config;
    }

    /** Runs the benchmark; the recurrent4j result first, then DL4J's where DL4J has the cell. */
    public List<BenchResult> run(Consumer<String> progress) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, config.batch(), config.input(), config.time());
        INDArray y = Nd4j.zeros(DataType.FLOAT, config.batch(), BenchConfig.CLASSES, config.time());
        java.util.Random r = new java.util.Random(11);
        for (int b = 0; b < config.batch(); b++) {
            for (int t = 0; t < config.time(); t++) {
                y.putScalar(new long[]{b, r.nextInt(BenchConfig.CLASSES), t}, 1.0);
            }
        }
        DataSet data = new DataSet(x, y);
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
            long warmStart = System.nanoTime();
            for (int w = 0; warming(w, System.nanoTime() - warmStart); w++) {
                once(net, data, one);
                if (progress != null) {
                    progress.accept(impls.get(k) + ": warm-up " + (w + 1));
                }
            }
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
