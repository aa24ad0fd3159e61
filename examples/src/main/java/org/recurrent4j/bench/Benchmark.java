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
 * Times recurrent4j against DL4J's built-in layer on the same data: both warm up, then run interleaved, one
 * iteration each in turn, so that a noisy neighbour on a shared machine slows both alike; the median is reported.
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
        for (int i = 0; i < config.warmup() + config.iters(); i++) {
            for (int k = 0; k < nets.size(); k++) {
                MultiLayerNetwork net = nets.get(k);
                long t0 = System.nanoTime();
                once(net, data, one);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= config.warmup()) {
                    times[k][i - config.warmup()] = ms;
                    heap[k] = Math.max(heap[k], mem.getHeapMemoryUsage().getUsed());
                    offHeap[k] = Math.max(offHeap[k], Pointer.totalBytes());
                }
            }
            if (progress != null) {
                progress.accept((i < config.warmup() ? "warm-up " : "iteration ") + (i + 1));
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

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
