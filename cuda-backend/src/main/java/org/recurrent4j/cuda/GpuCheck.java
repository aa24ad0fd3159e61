package org.recurrent4j.cuda;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The GPU check that {@code cuda-backend/gpu-check.sh} runs on a machine with an NVIDIA GPU and no Java build tools:
 * every kernel on fresh random inputs, outputs poisoned with NaN first, against {@link ReferenceCell}, forward and
 * backward; then the time of a training step (forward and backward of the recurrent layer, data on the GPU) of each
 * cell at two sizes. Needs nothing but a Java runtime, this module's jar, JCuda and the NVIDIA driver.
 *
 * <p>Usage: {@code GpuCheck [--timings FILE] [--iters K]}. Prints one line per check and per timing, and last
 * {@code N passed, N failed}; exits 0 only where every check passed. {@code --timings} writes the timings as JSON
 * lines for the comparison with PyTorch.
 */
public final class GpuCheck {

    /** FP32 kernels against the double-precision reference: the largest difference over the largest value. */
    static final double TOLERANCE = 1e-5;

    private final PrintStream out;
    private int passed;
    private int failed;

    GpuCheck(PrintStream out) {
        this.out = out;
    }

    int passed() {
        return passed;
    }

    int failed() {
        return failed;
    }

    public static void main(String[] args) throws IOException {
        Path timings = null;
        int iters = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--timings" -> timings = Path.of(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: GpuCheck [--timings FILE] [--iters K]; unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        GpuCheck check = new GpuCheck(System.out);
        Device gpu;
        try {
            gpu = CudaDevice.open(0);
        } catch (CudaUnavailableException e) {
            System.out.println("FAIL open GPU 0: " + e.getMessage());
            System.out.println("0 passed, 1 failed");
            System.exit(1);
            return;
        }
        System.out.println("device: " + gpu.name());
        check.correctness(gpu, CHECK_SHAPES);
        List<String> rows = check.timings(gpu, iters);
        check.profile(gpu, PROFILE_GEMMS, iters);
        if (timings != null) {
            Files.write(timings, rows, StandardCharsets.UTF_8);
        }
        System.out.println(check.passed + " passed, " + check.failed + " failed");
        gpu.close();
        System.exit(check.failed == 0 ? 0 : 1);
    }

    /** The check's sizes {T, B, nIn, H}: small and odd, and several GEMM tiles in every dimension. */
    static final int[][] CHECK_SHAPES = {{5, 3, 7, 37}, {20, 16, 48, 96}};

    /** Every cell at every size, plain and with mask, initial states and truncated BPTT. */
    void correctness(Device gpu, int[][] shapes) {
        long seed = 1;
        for (Cell cell : Cell.values()) {
            for (int[] s : shapes) {
                for (boolean hard : new boolean[]{false, true}) {
                    check(gpu, cell, s[0], s[1], s[2], s[3], hard, new Random(seed++ * 7919L + System.nanoTime()));
                }
            }
        }
    }

    private void check(Device gpu, Cell cell, int steps, int batch, int nIn, int hidden, boolean hard, Random rnd) {
        String name = String.format(Locale.ROOT, "%-16s T=%d B=%d nIn=%d H=%d %s", cell, steps, batch, nIn, hidden,
                hard ? "mask+state+tbptt" : "plain");
        try (GpuRecurrent k = new GpuRecurrent(gpu, cell)) {
            k.poison(true);
            CellWeights w = randomWeights(rnd, cell, nIn, hidden, true);
            float[] x = random(rnd, steps * batch * nIn, 1.0f);
            float[] mask = null;
            float[][] init = null;
            int backSteps = 0;
            if (hard) {
                mask = new float[steps * batch];
                for (int b = 0; b < batch; b++) {
                    int len = 1 + rnd.nextInt(steps);
                    for (int t = 0; t < len; t++) {
                        mask[t * batch + b] = 1.0f;
                    }
                }
                init = new float[cell.states][];
                for (int i = 0; i < cell.states; i++) {
                    init[i] = random(rnd, batch * hidden, 0.5f);
                }
                backSteps = Math.max(1, steps - 2);
            }
            float[] dY = random(rnd, steps * batch * hidden, 1.0f);
            ReferenceCell ref = new ReferenceCell(cell);
            ReferenceCell.Output want = ref.forward(w, x, steps, batch, mask, init);
            ReferenceCell.Gradients wantG = ref.backward(dY, backSteps);
            GpuRecurrent.Output got = k.forward(w, x, steps, batch, mask, init);
            GpuRecurrent.Gradients g = k.backward(w, dY, backSteps);

            double fwd = Math.max(relError(got.y(), want.y()), relError(got.finalState()[0], want.finalState()[0]));
            if (cell == Cell.LSTM) {
                fwd = Math.max(fwd, relError(got.finalState()[1], want.finalState()[1]));
            }
            double bwd = Math.max(relError(g.weights().w(), wantG.w()), relError(g.weights().rw(), wantG.rw()));
            bwd = Math.max(bwd, relError(g.weights().b(), wantG.b()));
            bwd = Math.max(bwd, relError(g.dx(), wantG.dx()));
            if (cell.hasRecurrentBias()) {
                bwd = Math.max(bwd, relError(g.weights().rb(), wantG.rb()));
            }
            report("forward  " + name, fwd);
            report("backward " + name, bwd);
        } catch (RuntimeException e) {
            failed++;
            out.println("FAIL " + name + ": " + e);
        }
    }

    private void report(String name, double error) {
        boolean ok = error <= TOLERANCE;
        if (ok) {
            passed++;
        } else {
            failed++;
        }
        out.printf(Locale.ROOT, "%s %s  max rel error %.2e%n", ok ? "PASS" : "FAIL", name, error);
    }

    /**
     * Median time of a training step of the recurrent layer, inputs and weights already on the GPU, as cuDNN is timed;
     * and the same with the copies from and to the host that the layers make while ND4J runs on the CPU.
     */
    List<String> timings(Device gpu, int iters) {
        int[][] shapes = {{32, 50, 100, 128}, {64, 100, 512, 512}};
        List<String> rows = new ArrayList<>();
        for (int[] s : shapes) {
            for (Cell cell : new Cell[]{Cell.LSTM, Cell.GRU, Cell.RNN_TANH}) {
                int batch = s[0];
                int steps = s[1];
                int nIn = s[2];
                int hidden = s[3];
                Random rnd = new Random(11);
                try (GpuRecurrent k = new GpuRecurrent(gpu, cell)) {
                    CellWeights w = randomWeights(rnd, cell, nIn, hidden, true);
                    float[] x = random(rnd, steps * batch * nIn, 1.0f);
                    float[] dY = random(rnd, steps * batch * hidden, 1.0f);
                    k.forward(w, x, steps, batch, null, null);
                    k.backward(w, dY, 0);
                    double[] device = new double[iters];
                    double[] fwd = new double[iters];
                    double[] copies = new double[iters];
                    for (int i = -3; i < iters; i++) {
                        k.synchronize();
                        long t0 = System.nanoTime();
                        k.runForward();
                        k.synchronize();
                        long tf = System.nanoTime();
                        k.runBackward(0);
                        k.synchronize();
                        long t1 = System.nanoTime();
                        k.forward(w, x, steps, batch, null, null);
                        k.backward(w, dY, 0);
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            device[i] = (t1 - t0) / 1e6;
                            fwd[i] = (tf - t0) / 1e6;
                            copies[i] = (t2 - t1) / 1e6;
                        }
                    }
                    double ms = median(device);
                    double withCopies = median(copies);
                    out.printf(Locale.ROOT, "TIME %-8s batch %d time %d input %d hidden %d: %.3f ms per training "
                            + "step on the GPU (forward %.3f), %.3f ms with host copies%n", cell, batch, steps, nIn,
                            hidden, ms, median(fwd), withCopies);
                    rows.add(String.format(Locale.ROOT, "{\"impl\":\"recurrent4j\",\"cell\":\"%s\",\"batch\":%d,"
                                    + "\"time\":%d,\"input\":%d,\"hidden\":%d,\"ms\":%.4f,\"ms_with_copies\":%.4f}",
                            cell == Cell.RNN_TANH ? "rnn" : cell.name().toLowerCase(Locale.ROOT), batch, steps, nIn,
                            hidden, ms, withCopies));
                } catch (RuntimeException e) {
                    failed++;
                    out.println("FAIL timing " + cell + " " + Arrays.toString(s) + ": " + e);
                }
            }
        }
        return rows;
    }

    /**
     * The GEMMs of an LSTM training step at batch 64, 100 steps, 512 inputs, hidden 512, as {M, N, K, transA,
     * transB}: the input projection, one step's recurrent product, a weight gradient, the input gradient.
     */
    static final int[][] PROFILE_GEMMS = {{6400, 2048, 512, 0, 0}, {64, 2048, 512, 0, 0}, {512, 2048, 6400, 1, 0},
            {6400, 512, 2048, 0, 1}};

    /**
     * Where a training step's time goes, for whoever tunes the kernels next: the cost of one kernel launch, and the
     * time and rate of the step's GEMMs. Prints PROF lines; checks nothing.
     */
    void profile(Device gpu, int[][] gemms, int iters) {
        try (DeviceBuffer tiny = gpu.alloc(1)) {
            int launches = 200;
            gpu.synchronize();
            long t0 = System.nanoTime();
            for (int i = 0; i < launches; i++) {
                gpu.launch("add_bias", 1, 1, 32, 1, 1, 1, tiny.at(0), tiny.at(0));
            }
            gpu.synchronize();
            out.printf(Locale.ROOT, "PROF kernel launch, queued and run: %.1f us each%n",
                    (System.nanoTime() - t0) / 1e3 / launches);
        }
        for (int[] g : gemms) {
            int m = g[0];
            int n = g[1];
            int k = g[2];
            boolean ta = g[3] != 0;
            boolean tb = g[4] != 0;
            try (DeviceBuffer a = gpu.alloc((long) m * k); DeviceBuffer b = gpu.alloc((long) k * n);
                 DeviceBuffer c = gpu.alloc((long) m * n)) {
                gpu.fill(a.at(0), (long) m * k, 0.01f);
                gpu.fill(b.at(0), (long) k * n, 0.01f);
                double[] ms = new double[iters];
                for (int i = -2; i < iters; i++) {
                    gpu.synchronize();
                    long t0 = System.nanoTime();
                    GpuRecurrent.gemm(gpu, m, n, k, a.at(0), ta ? m : k, ta, b.at(0), tb ? k : n, tb, c.at(0), n, 0.0f);
                    gpu.synchronize();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double med = median(ms);
                out.printf(Locale.ROOT, "PROF gemm %dx%dx%d%s%s: %.3f ms, %.0f GFLOP/s%n", m, n, k, ta ? " A^T" : "",
                        tb ? " B^T" : "", med, 2.0 * m * n * k / med / 1e6);
            }
        }
    }

    /** Weights of N(0, 1/H) entries, as PyTorch initialises them; with {@code bias}, biases of the same scale. */
    static CellWeights randomWeights(Random rnd, Cell cell, int nIn, int hidden, boolean bias) {
        int width = cell.gates * hidden;
        float scale = (float) (1.0 / Math.sqrt(hidden));
        return new CellWeights(nIn, hidden, random(rnd, nIn * width, scale), random(rnd, hidden * width, scale),
                bias ? random(rnd, width, scale) : null,
                bias && cell.hasRecurrentBias() ? random(rnd, hidden, scale) : null);
    }

    /** {@code n} floats of N(0, scale^2). */
    static float[] random(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    /** The largest difference relative to the largest reference value; infinite for a NaN (a missed element). */
    static double relError(float[] actual, double[] expected) {
        double diff = 0.0;
        double scale = 0.0;
        for (int i = 0; i < expected.length; i++) {
            if (!Float.isFinite(actual[i])) {
                return Double.POSITIVE_INFINITY;
            }
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0.0 ? diff : diff / scale;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
