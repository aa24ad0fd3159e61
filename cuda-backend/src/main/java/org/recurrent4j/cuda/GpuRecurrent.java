package org.recurrent4j.cuda;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;

/**
 * One recurrent layer's forward and backward on a {@link Device}, from host arrays to host arrays, in FP32. The loop
 * is the CPU kernels': one GEMM projects the inputs of all steps, each step does its recurrent GEMM and one fused
 * gate kernel, and backward gets each weight gradient from one GEMM over all steps. Activations stay on the device
 * between {@link #forward} and {@link #backward}.
 *
 * <pre>{@code
 * try (GpuRecurrent lstm = new GpuRecurrent(CudaDevice.open(0), Cell.LSTM)) {
 *     GpuRecurrent.Output out = lstm.forward(weights, x, steps, batch, null, null);
 *     GpuRecurrent.Gradients g = lstm.backward(weights, dY, 0);
 * }
 * }</pre>
 *
 * Arrays are time-major as in the CPU kernels: row {@code t*batch + b} of {@code x [T*B, nIn]} is sequence b at step
 * t. Device memory is kept and reused between calls, and freed by {@link #close} (or once the object is unreachable).
 */
public final class GpuRecurrent implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int THREADS = 256;
    private static final int TILE = 32;

    /** The output of a forward pass: {@code y [T*B, H]} (0 at padded steps) and the state after the last step. */
    public record Output(float[] y, float[][] finalState) {
    }

    /** The gradients of a backward pass: the parameters' (in {@link CellWeights}' layout) and the input's. */
    public record Gradients(CellWeights weights, float[] dx) {
    }

    private final Device device;
    private final Cell cell;
    private final Map<String, DeviceBuffer> buffers = new HashMap<>();
    private boolean poison;

    // the pass on the device
    private int steps;
    private int batch;
    private int nIn;
    private int hidden;
    private boolean hasBias;
    private boolean hasRecurrentBias;
    private boolean hasMask;

    public GpuRecurrent(Device device, Cell cell) {
        this.device = device;
        this.cell = cell;
        Map<String, DeviceBuffer> held = buffers;
        CLEANER.register(this, () -> held.values().forEach(DeviceBuffer::close));
    }

    public Cell cell() {
        return cell;
    }

    /**
     * With poison on, every array a kernel should write in full is set to NaN first, so a kernel that misses an
     * element shows up as NaN in the results: for checks, not for speed.
     */
    public void poison(boolean on) {
        this.poison = on;
    }

    /**
     * Runs the sequences.
     *
     * @param x       {@code [T*B, nIn]}, time-major
     * @param mask    null, or {@code T*B} entries, time-major, 0 where a step is padding
     * @param initial null for zero states, else {@link Cell#states} arrays of {@code B*H}
     */
    public Output forward(CellWeights w, float[] x, int steps, int batch, float[] mask, float[][] initial) {
        load(w, x, steps, batch, mask, initial);
        runForward();
        int n = batch * hidden;
        float[] y = new float[steps * n];
        device.download(buf("y").at(0), y, 0, y.length);
        float[][] last = new float[cell.states][n];
        device.download(buf("hs").at((long) steps * n), last[0], 0, n);
        if (cell == Cell.LSTM) {
            device.download(buf("cs").at((long) steps * n), last[1], 0, n);
        }
        return new Output(y, last);
    }

    /**
     * Backpropagates through the last {@link #forward}.
     *
     * @param w         the weights that forward ran with
     * @param dY        gradient of the loss with respect to the output, {@code [T*B, H]}
     * @param backSteps truncated BPTT: only the last {@code backSteps} steps; 0 or less for all
     */
    public Gradients backward(CellWeights w, float[] dY, int backSteps) {
        if (steps == 0) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        if (w.nIn() != nIn || w.hidden() != hidden || dY.length != steps * batch * hidden) {
            throw new IllegalArgumentException("backward must match the forward pass: dY [" + steps * batch + ", "
                    + hidden + "] and the same weights; got " + dY.length + " values of dY");
        }
        device.upload(buf("w").at(0), w.w(), 0, w.w().length);
        device.upload(buf("rw").at(0), w.rw(), 0, w.rw().length);
        device.upload(sized("dY", (long) steps * batch * hidden).at(0), dY, 0, dY.length);
        runBackward(backSteps);
        int width = cell.gates * hidden;
        float[] gw = download("gw", nIn * width);
        float[] grw = download("grw", hidden * width);
        float[] gb = hasBias ? download("gb", width) : null;
        float[] grb = hasRecurrentBias ? download("grb", hidden) : null;
        float[] dx = download("dX", steps * batch * nIn);
        return new Gradients(new CellWeights(nIn, hidden, gw, grw, gb, grb), dx);
    }

    /** Copies a pass's inputs to the device and shapes its buffers. */
    void load(CellWeights w, float[] x, int steps, int batch, float[] mask, float[][] initial) {
        if (w.width() != cell.gates * w.hidden()) {
            throw new IllegalArgumentException(cell + " needs " + cell.gates + " gate blocks: rw must be [H, "
                    + cell.gates + "*H], got " + w.rw().length + " values for H " + w.hidden());
        }
        if (steps <= 0 || batch <= 0 || x.length != (long) steps * batch * w.nIn()) {
            throw new IllegalArgumentException("x must be [steps*batch, nIn] = [" + (long) steps * batch + ", "
                    + w.nIn() + "], got " + x.length + " values");
        }
        if (mask != null && mask.length != steps * batch) {
            throw new IllegalArgumentException("mask must have steps*batch = " + steps * batch + " entries, got "
                    + mask.length);
        }
        if (initial != null && (initial.length != cell.states || initial[0].length != batch * w.hidden())) {
            throw new IllegalArgumentException(cell + " takes " + cell.states + " initial state(s) of batch*hidden = "
                    + batch * w.hidden() + " values");
        }
        this.steps = steps;
        this.batch = batch;
        this.nIn = w.nIn();
        this.hidden = w.hidden();
        this.hasBias = w.b() != null;
        this.hasRecurrentBias = cell.hasRecurrentBias() && w.rb() != null;
        this.hasMask = mask != null;
        long rows = (long) steps * batch;
        long n = (long) batch * hidden;
        int width = cell.gates * hidden;

        upload("x", x);
        upload("w", w.w());
        upload("rw", w.rw());
        if (hasBias) {
            upload("b", w.b());
        }
        if (hasRecurrentBias) {
            upload("rb", w.rb());
        }
        if (hasMask) {
            upload("mask", mask);
        }
        sized("z", rows * width);
        sized("y", rows * hidden);
        sized("hs", (rows + batch) * hidden);
        if (cell == Cell.LSTM) {
            sized("cs", (rows + batch) * hidden);
        }
        if (cell.isGru()) {
            sized("zh", rows * (cell == Cell.GRU ? width : 2L * hidden));
        }
        if (cell == Cell.GRU_RESET_BEFORE) {
            sized("zn", rows * hidden);
            sized("rh", rows * hidden);
        }
        for (int s = 0; s < cell.states; s++) {
            Ptr first = buf(s == 0 ? "hs" : "cs").at(0);
            if (initial == null) {
                device.fill(first, n, 0.0f);
            } else {
                device.upload(first, initial[s], 0, (int) n);
            }
        }
    }

    /** The forward launches, on what {@link #load} put on the device. */
    void runForward() {
        long rows = (long) steps * batch;
        int width = cell.gates * hidden;
        int n = batch * hidden;
        Ptr x = buf("x").at(0);
        Ptr w = buf("w").at(0);
        Ptr rw = buf("rw").at(0);
        Ptr z = buf("z").at(0);
        Ptr hs = buf("hs").at(0);
        Ptr cs = cell == Cell.LSTM ? buf("cs").at(0) : null;
        Ptr y = buf("y").at(0);
        Ptr rb = hasRecurrentBias ? buf("rb").at(0) : Ptr.NULL;
        if (poison) {
            device.fill(z, rows * width, Float.NaN);
            device.fill(y, rows * hidden, Float.NaN);
            device.fill(hs.plus(n), rows * hidden, Float.NaN);
            if (cs != null) {
                device.fill(cs.plus(n), rows * hidden, Float.NaN);
            }
            for (String name : new String[]{"zh", "zn", "rh"}) {
                DeviceBuffer b = buffers.get(name);
                if (b != null) {
                    device.fill(b.at(0), b.floats(), Float.NaN);
                }
            }
        }
        gemm((int) rows, width, nIn, x, nIn, false, w, width, false, z, width, 0.0f);
        if (hasBias) {
            device.launch("add_bias", blocks(rows * width), 1, THREADS, 1, (int) rows, width, z, buf("b").at(0));
        }
        for (int t = 0; t < steps; t++) {
            Ptr hPrev = hs.plus((long) t * n);
            Ptr hOut = hs.plus((long) (t + 1) * n);
            Ptr zt = z.plus((long) t * batch * width);
            Ptr yt = y.plus((long) t * n);
            Ptr mt = mask(t);
            switch (cell) {
                case RNN_TANH, RNN_RELU, RNN_IDENTITY -> {
                    gemm(batch, width, hidden, hPrev, hidden, false, rw, width, false, zt, width, 1.0f);
                    pointwise("rnn_fwd", batch, hidden, cell.activation, zt, hPrev, hOut, yt, mt);
                }
                case LSTM -> {
                    gemm(batch, width, hidden, hPrev, hidden, false, rw, width, false, zt, width, 1.0f);
                    pointwise("lstm_fwd", batch, hidden, zt, hPrev, cs.plus((long) t * n),
                            hOut, cs.plus((long) (t + 1) * n), yt, mt);
                }
                case GRU -> {
                    Ptr zh = buf("zh").at((long) t * batch * width);
                    gemm(batch, width, hidden, hPrev, hidden, false, rw, width, false, zh, width, 0.0f);
                    pointwise("gru_fwd", batch, hidden, zt, zh, rb, hPrev, hOut, yt, mt);
                }
                case GRU_RESET_BEFORE -> {
                    Ptr zh = buf("zh").at((long) t * batch * 2 * hidden);
                    Ptr zn = buf("zn").at((long) t * n);
                    Ptr rh = buf("rh").at((long) t * n);
                    gemm(batch, 2 * hidden, hidden, hPrev, hidden, false, rw, width, false, zh, 2 * hidden, 0.0f);
                    pointwise("gru_rb_reset", batch, hidden, zt, zh, hPrev, rh, mt);
                    gemm(batch, hidden, hidden, rh, hidden, false, rw.plus(2L * hidden), width, false, zn, hidden,
                            0.0f);
                    pointwise("gru_rb_fwd", batch, hidden, zt, zh, zn, rb, hPrev, hOut, yt, mt);
                }
            }
        }
    }

    /** The backward launches, after {@link #runForward} and with dY on the device. */
    void runBackward(int backSteps) {
        long rows = (long) steps * batch;
        int width = cell.gates * hidden;
        int n = batch * hidden;
        int end = backSteps > 0 ? Math.max(0, steps - backSteps) : 0;
        boolean before = cell == Cell.GRU_RESET_BEFORE;
        int zhWidth = cell == Cell.GRU ? width : 2 * hidden;

        Ptr rw = buf("rw").at(0);
        Ptr z = buf("z").at(0);
        Ptr hs = buf("hs").at(0);
        Ptr dY = buf("dY").at(0);
        Ptr dZ = sized("dZ", rows * width).at(0);
        Ptr dZh = cell.isGru() ? sized("dZh", rows * zhWidth).at(0) : null;
        Ptr dZn = before ? sized("dZn", rows * hidden).at(0) : null;
        Ptr dRh = before ? sized("dRh", n).at(0) : null;
        Ptr dh = sized("dh", n).at(0);
        Ptr dc = cell == Cell.LSTM ? sized("dc", n).at(0) : null;
        Ptr gw = sized("gw", (long) nIn * width).at(0);
        Ptr grw = sized("grw", (long) hidden * width).at(0);
        Ptr dX = sized("dX", rows * nIn).at(0);
        if (poison) {
            device.fill(dZ, rows * width, Float.NaN);
            if (dZh != null) {
                device.fill(dZh, rows * zhWidth, Float.NaN);
            }
            if (dZn != null) {
                device.fill(dZn, rows * hidden, Float.NaN);
            }
            device.fill(gw, (long) nIn * width, Float.NaN);
            device.fill(grw, (long) hidden * width, Float.NaN);
            device.fill(dX, rows * nIn, Float.NaN);
        }
        device.fill(dh, n, 0.0f);
        if (dc != null) {
            device.fill(dc, n, 0.0f);
        }
        if (end > 0) {   // steps cut off by truncated BPTT contribute nothing
            long cut = (long) end * batch;
            device.fill(dZ, cut * width, 0.0f);
            if (dZh != null) {
                device.fill(dZh, cut * zhWidth, 0.0f);
            }
            if (dZn != null) {
                device.fill(dZn, cut * hidden, 0.0f);
            }
        }
        for (int t = steps - 1; t >= end; t--) {
            Ptr zt = z.plus((long) t * batch * width);
            Ptr dzt = dZ.plus((long) t * batch * width);
            Ptr hPrev = hs.plus((long) t * n);
            Ptr dyt = dY.plus((long) t * n);
            Ptr mt = mask(t);
            switch (cell) {
                case RNN_TANH, RNN_RELU, RNN_IDENTITY ->
                        pointwise("rnn_bwd", batch, hidden, cell.activation, zt, dyt, dh, dzt, mt);
                case LSTM -> {
                    Ptr cs = buf("cs").at(0);
                    pointwise("lstm_bwd", batch, hidden, zt, cs.plus((long) t * n), cs.plus((long) (t + 1) * n),
                            dyt, dh, dc, dzt, mt);
                }
                case GRU -> pointwise("gru_bwd", batch, hidden, zt, buf("zh").at((long) t * batch * width), hPrev,
                        dyt, dh, dzt, dZh.plus((long) t * batch * width), mt);
                case GRU_RESET_BEFORE -> {
                    Ptr dznt = dZn.plus((long) t * n);
                    pointwise("gru_rb_bwd_candidate", batch, hidden, zt, hPrev, dyt, dh, dzt, dznt, mt);
                    gemm(batch, hidden, hidden, dznt, hidden, false, rw.plus(2L * hidden), width, true, dRh, hidden,
                            0.0f);
                    pointwise("gru_rb_bwd_reset", batch, hidden, zt, hPrev, dRh, dh, dzt,
                            dZh.plus((long) t * batch * zhWidth), mt);
                }
            }
            if (t > end) {   // dh += (gradient of the recurrent pre-activations) R^T
                if (cell.isGru()) {
                    gemm(batch, hidden, zhWidth, dZh.plus((long) t * batch * zhWidth), zhWidth, false, rw, width,
                            true, dh, hidden, 1.0f);
                } else {
                    gemm(batch, hidden, width, dzt, width, false, rw, width, true, dh, hidden, 1.0f);
                }
            }
        }
        int r = (int) rows;
        gemm(nIn, width, r, buf("x").at(0), nIn, true, dZ, width, false, gw, width, 0.0f);
        if (cell.isGru()) {
            gemm(hidden, zhWidth, r, hs, hidden, true, dZh, zhWidth, false, grw, width, 0.0f);
            if (before) {
                gemm(hidden, hidden, r, buf("rh").at(0), hidden, true, dZn, hidden, false, grw.plus(2L * hidden),
                        width, 0.0f);
            }
        } else {
            gemm(hidden, width, r, hs, hidden, true, dZ, width, false, grw, width, 0.0f);
        }
        if (hasBias) {
            colSum(r, width, dZ, width, sized("gb", width).at(0));
        }
        if (hasRecurrentBias) {
            Ptr grb = sized("grb", hidden).at(0);
            if (before) {
                colSum(r, hidden, dZn, hidden, grb);
            } else {
                colSum(r, hidden, dZh.plus(2L * hidden), width, grb);
            }
        }
        gemm(r, nIn, width, dZ, width, false, buf("w").at(0), width, true, dX, nIn, 0.0f);
    }

    /** Waits for the device: for timing. */
    void synchronize() {
        device.synchronize();
    }

    private Ptr mask(int t) {
        return hasMask ? buf("mask").at((long) t * batch) : Ptr.NULL;
    }

    private void gemm(int m, int n, int k, Ptr a, int lda, boolean ta, Ptr b, int ldb, boolean tb, Ptr c, int ldc,
                      float beta) {
        gemm(device, m, n, k, a, lda, ta, b, ldb, tb, c, ldc, beta);
    }

    /** {@code c = op(a) op(b) + beta*c} with recurrent.cu's GEMM, row-major; see its comment for the arguments. */
    static void gemm(Device device, int m, int n, int k, Ptr a, int lda, boolean ta, Ptr b, int ldb, boolean tb, Ptr c,
                     int ldc, float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        device.launch("gemm", (n + TILE - 1) / TILE, (m + TILE - 1) / TILE, 16, 16, m, n, k, a, lda, ta ? 1 : 0, b, ldb,
                tb ? 1 : 0, c, ldc, beta);
    }

    /** A gate kernel: one thread per (row, unit) of the step. */
    private void pointwise(String kernel, Object... args) {
        device.launch(kernel, blocks((long) batch * hidden), 1, THREADS, 1, args);
    }

    private void colSum(int rows, int cols, Ptr z, int ldz, Ptr out) {
        device.launch("col_sum", blocks(cols), 1, THREADS, 1, rows, cols, z, ldz, out);
    }

    private static int blocks(long elements) {
        return (int) Math.max(1, (elements + THREADS - 1) / THREADS);
    }

    private void upload(String name, float[] values) {
        device.upload(sized(name, values.length).at(0), values, 0, values.length);
    }

    private float[] download(String name, int count) {
        float[] out = new float[count];
        device.download(buf(name).at(0), out, 0, count);
        return out;
    }

    private DeviceBuffer buf(String name) {
        DeviceBuffer b = buffers.get(name);
        if (b == null) {
            throw new IllegalStateException("no device array " + name + ": run forward first");
        }
        return b;
    }

    /** The named buffer with room for at least {@code floats}; grown (not kept in size) when too small. */
    private DeviceBuffer sized(String name, long floats) {
        DeviceBuffer b = buffers.get(name);
        if (b != null && b.floats() >= floats) {
            return b;
        }
        if (b != null) {
            b.close();
        }
        DeviceBuffer fresh = device.alloc(Math.max(1, floats));
        buffers.put(name, fresh);
        return fresh;
    }

    /** Frees the device memory; the device itself stays open. */
    @Override
    public void close() {
        buffers.values().forEach(DeviceBuffer::close);
        buffers.clear();
        steps = 0;
    }
}
