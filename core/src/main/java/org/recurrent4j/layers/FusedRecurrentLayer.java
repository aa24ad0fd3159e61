package org.recurrent4j.layers;

import java.util.Arrays;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.backend.LibraryDefaults;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.engine.ForwardPass;
import org.recurrent4j.engine.Kernels;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.engine.RnnWeights;
import org.recurrent4j.compute.Scratch;
import org.recurrent4j.compute.SideLane;
import org.recurrent4j.engine.Sequence;
import org.recurrent4j.engine.TwoDirections;

/**
 * The runtime layer behind {@code ElmanRnn}, {@code Lstm} and {@code Gru} (any configuration that is a
 * {@link RecurrentLayerSpec}): DL4J's layout, masks, streaming state, truncated BPTT, dropout and weight noise around
 * the engine that runs the configured cell. It owns DL4J's bookkeeping; the engine owns the loop, the cell the math.
 */
public class FusedRecurrentLayer
        extends BaseRecurrentLayer<org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer> {

    static final String[] STATE_KEYS = {"h", "c"};

    /** The configured cell, its output features and the parameter keys: fixed once the layer exists. */
    private final Cell cell;
    private final long outputSize;
    private final java.util.List<String> paramKeys;
    private final RecurrentKernel kernel;
    /** A bidirectional layer's two directions; null for a unidirectional one. */
    private final TwoDirections twoWay;
    /** The time-major copies of input and gradients, reused between calls. */
    private final Scratch scratch = new Scratch();
    /** The last training forward pass, reused by backprop where the input is the same array. */
    private ForwardPass lastPass;
    private INDArray lastPassInput;

    public FusedRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        org.deeplearning4j.nn.conf.layers.Layer c = conf.getLayer();
        if (!(c instanceof RecurrentLayerSpec spec)) {
            throw new IllegalArgumentException(c.getClass().getName() + " is not a " + RecurrentLayerSpec.class.getName());
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException(c.getClass().getSimpleName() + " '" + c.getLayerName() + "': the "
                    + "kernels run in float or double, not " + dataType + ": build the network with "
                    + "dataType(DataType.FLOAT)");
        }
        this.cell = spec.cell();
        this.outputSize = spec.outputSize();
        this.paramKeys = c.initializer().paramKeys(c);
        this.kernel = Kernels.forLayer(cell, layerName(c));
        this.twoWay = spec.isBidirectional() ? new TwoDirections(kernel, Kernels.forLayer(cell, layerName(c))) : null;
        LibraryDefaults.onThread();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, null, workspaceMgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        refuseBidirectional("rnnTimeStep", "call output() on whole sequences");
        setInput(input, workspaceMgr);
        return forward(storedState(stateMap), false, stateMap, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        refuseBidirectional("truncated BPTT", "train with BackpropType.Standard");
        setInput(input, workspaceMgr);
        return forward(storedState(tBpttStateMap), training, storeLastForTBPTT ? tBpttStateMap : null,
                workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (twoWay != null && tbpttBackLength > 0) {
            refuseBidirectional("truncated BPTT", "train with BackpropType.Standard");
        }
        ForwardPass pass = lastPass;
        if (pass == null || lastPassInput != input) {
            forward(null, true, null, workspaceMgr);
            pass = lastPass;
        }
        Sequence seq = pass.input();
        int steps = seq.steps();
        int batch = seq.batch();
        INDArray eps = toNcw(epsilon.castTo(dataType));
        checkShape("epsilon", eps, batch, outputSize, steps);
        INDArray dY = timeMajor(eps, "dY");
        INDArray dX = scratch.get("dX", dataType, (long) steps * batch, seq.x().size(1), 'f');
        if (twoWay != null) {
            twoWay.backward(dY, weights(true, workspaceMgr, false), weights(true, workspaceMgr, true),
                    gradients(false), gradients(true), dX);
        } else {
            kernel.backward(pass, dY, tbpttBackLength, weights(true, workspaceMgr, false), gradients(false), dX);
        }

        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : paramKeys) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        INDArray epsOut = backpropDropOutIfPresent(
                sequenceMajor(dX, steps, batch, ArrayType.ACTIVATION_GRAD, workspaceMgr));
        weightNoiseParams.clear();
        return new Pair<>(g, fromNcw(epsOut));
    }

    private INDArray forward(INDArray[] initial, boolean training, Map<String, INDArray> storeLast,
                             LayerWorkspaceMgr workspaceMgr) {
        LibraryDefaults.onThread();   // the command line's thread choice, for programs that made none
        if (twoWay != null) {
            twoWay.prepare();
        }
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = input.castTo(dataType);
        if (in.rank() == 2) {   // one step, as rnnTimeStep may be given
            in = getDataFormat() == RNNFormat.NWC ? in.reshape(in.size(0), 1, in.size(1))
                    : in.reshape(in.size(0), in.size(1), 1);
        }
        if (in.rank() != 3) {
            throw new IllegalArgumentException(layerId() + ": input must be rank 3 " + formatHint() + ", got shape "
                    + Arrays.toString(in.shape()));
        }
        in = toNcw(in);
        long nIn = layerConf().getNIn();
        if (in.size(1) != nIn) {
            throw new IllegalArgumentException(layerId() + ": input has " + in.size(1) + " features, the layer nIn is "
                    + nIn + " " + formatHint() + ", got shape " + Arrays.toString(input.shape()));
        }
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        if (initial != null && initial[0].size(0) != batch) {
            throw new IllegalStateException(layerId() + ": stored state is for a batch of " + initial[0].size(0)
                    + ", this input has " + batch + ": call rnnClearPreviousState() between batches of other sizes");
        }
        if (initial != null) {   // rnnSetPreviousState takes any arrays: h [batch, state size], c [batch, nOut]
            long[][] want = {{batch, cell.stateSize(layerConf().getNOut())}, {batch, layerConf().getNOut()}};
            String[] names = STATE_KEYS;
            if (initial.length != cell.states()) {
                throw new IllegalStateException(layerId() + ": the " + cell.name() + " cell keeps "
                        + cell.states() + " state array(s) (" + String.join(", ", Arrays.copyOf(names, cell.states()))
                        + "), the stored state has " + initial.length);
            }
            for (int i = 0; i < initial.length; i++) {
                if (initial[i].rank() != 2 || initial[i].size(0) != want[i][0] || initial[i].size(1) != want[i][1]) {
                    throw new IllegalStateException(layerId() + ": stored state '" + names[i] + "' must be "
                            + Arrays.toString(want[i]) + " (batch, " + (i == 0 ? "the layer's output size" : "nOut")
                            + "), got " + Arrays.toString(initial[i].shape()) + ": check rnnSetPreviousState");
                }
            }
        }
        // the second core, asleep between passes, is running by the time the pass needs it (bench, LSTM inference
        // batch 32: 4.4-4.7 ms against 4.9-5.2 ms without, three alternating runs); not woken for a pass with no work
        // for it
        SideLane.wakeFor(steps, batch, training);   // two directions: twoWay.prepare() woke it above
        INDArray x = scratch.get("x", dataType, (long) steps * batch, nIn);
        Sequence.copyTimeMajor(in, x);
        Sequence seq = new Sequence(x, steps, batch, timeMajorMask(batch, steps));
        if (twoWay != null) {
            INDArray y = twoWay.forward(weights(training, workspaceMgr, false), weights(training, workspaceMgr, true),
                    seq, training);
            // backprop needs only the input's shape from here; the passes themselves are kept by twoWay
            lastPass = training ? ForwardPass.external(seq, (int) layerConf().getNOut(), y, new INDArray[0], null)
                    : null;
            lastPassInput = training ? input : null;
            return fromNcw(sequenceMajor(y, steps, batch, ArrayType.ACTIVATIONS, workspaceMgr));
        }
        ForwardPass pass = kernel.forward(weights(training, workspaceMgr, false), seq, initial, training);
        lastPass = training ? pass : null;
        lastPassInput = training ? input : null;
        if (storeLast != null) {
            INDArray[] state = pass.finalState();
            storeLast.clear();
            for (int i = 0; i < state.length; i++) {
                storeLast.put(STATE_KEYS[i], state[i]);
            }
        }
        return fromNcw(sequenceMajor(pass.output(), steps, batch, ArrayType.ACTIVATIONS, workspaceMgr));
    }

    /**
     * A kernel's time-major {@code [T*B, F]} matrix as DL4J's {@code [B, F, T]}, copied into {@code type}'s workspace
     * in the layout of a column-major {@code [T*B, F]}: DL4J's {@code RnnOutputLayer} and {@code TimeSeriesUtils} turn
     * that into a 2-D {@code [B*T, F]} without a copy, and a column-major kernel output gets there with a plain copy.
     */
    /** ND4J's CPU backend, whose buffers are plain host memory that a memcpy may copy. */
    private static final boolean HOST_BUFFERS =
            Nd4j.getBackend().getClass().getName().equals("org.nd4j.linalg.cpu.nativecpu.CpuBackend");

    private static INDArray sequenceMajor(INDArray m, int steps, int batch, ArrayType type, LayerWorkspaceMgr mgr) {
        long f = m.size(1);
        if (HOST_BUFFERS && m.ordering() == 'f' && (m.length() <= 1 || m.elementWiseStride() == 1) && !m.isEmpty()
                && (m.dataType() == DataType.FLOAT || m.dataType() == DataType.DOUBLE)) {
            // the same elements in the same order: one memcpy, where a reshape and a dup cost two arrays and an op
            INDArray btf = mgr.createUninitialized(type, m.dataType(), new long[]{batch, steps, f}, 'f');
            Pointer.memcpy(btf.data().addressPointer(), m.data().addressPointer(), m.length() * m.data().getElementSize());
            return btf.permute(0, 2, 1);
        }
        INDArray btf = m.ordering() == 'f' ? m.reshape('f', batch, steps, f)
                : m.reshape('c', steps, batch, f).permute(1, 0, 2);
        return mgr.dup(type, btf, 'f').permute(0, 2, 1);
    }

    /**
     * DL4J's {@code [B, F, T]} as the time-major {@code [T*B, F]} the kernels read: a view where it already has the
     * layout {@link #sequenceMajor} gives (the gradient an {@code RnnOutputLayer} returns does), else a copy into the
     * scratch array {@code name}.
     */
    private INDArray timeMajor(INDArray bft, String name) {
        long b = bft.size(0);
        long f = bft.size(1);
        long t = bft.size(2);
        INDArray btf = bft.permute(0, 2, 1);
        long[] st = btf.stride();
        boolean dense = (b == 1 || st[0] == 1) && (t == 1 || st[1] == b) && (f == 1 || st[2] == b * t);
        if (dense) {
            INDArray view = btf.reshape('f', t * b, f);
            if (view.ordering() == 'f') {
                return view;
            }
        }
        INDArray copy = scratch.get(name, dataType, t * b, f, 'f');
        copy.reshape('f', b, t, f).assign(btf);
        return copy;
    }

    /** The parameters of the forward direction, or with {@code reverse} of a bidirectional layer's backward one. */
    private RnnWeights weights(boolean training, LayerWorkspaceMgr workspaceMgr, boolean reverse) {
        java.util.function.Function<String, INDArray> param = key -> params.containsKey(Cell.key(key, reverse))
                ? getParamWithNoise(Cell.key(key, reverse), training, workspaceMgr) : null;
        return new RnnWeights(param.apply(Cell.WEIGHT_KEY), param.apply(Cell.RECURRENT_WEIGHT_KEY),
                param.apply(Cell.BIAS_KEY), param.apply(Cell.RECURRENT_BIAS_KEY), param.apply(Cell.PROJECTION_KEY));
    }

    /** The gradient views shaped as {@link #weights}. */
    private RnnWeights gradients(boolean reverse) {
        return new RnnWeights(gradientViews.get(Cell.key(Cell.WEIGHT_KEY, reverse)),
                gradientViews.get(Cell.key(Cell.RECURRENT_WEIGHT_KEY, reverse)),
                gradientViews.get(Cell.key(Cell.BIAS_KEY, reverse)),
                gradientViews.get(Cell.key(Cell.RECURRENT_BIAS_KEY, reverse)),
                gradientViews.get(Cell.key(Cell.PROJECTION_KEY, reverse)));
    }

    private static String layerName(org.deeplearning4j.nn.conf.layers.Layer c) {
        return c.getClass().getSimpleName() + (c.getLayerName() == null ? "" : " '" + c.getLayerName() + "'");
    }

    private void refuseBidirectional(String what, String instead) {
        if (twoWay != null) {
            throw new UnsupportedOperationException(layerId() + ": " + what + " needs a unidirectional layer: a "
                    + "bidirectional one reads each sequence from its end, so it needs the whole sequence at once ("
                    + instead + ")");
        }
    }

    /** DL4J's mask {@code [batch, steps]} as the kernel's time-major array; null where there is none. */
    private double[] timeMajorMask(int batch, int steps) {
        if (maskArray == null) {
            return null;
        }
        if (maskArray.rank() != 2 || maskArray.size(0) != batch || maskArray.size(1) != steps) {
            throw new IllegalArgumentException(layerId() + ": mask must be [batch, steps] = [" + batch + ", " + steps
                    + "], got " + Arrays.toString(maskArray.shape()));
        }
        double[] bt = maskArray.castTo(DataType.DOUBLE).dup('c').data().asDouble();   // one copy, not B*T getDouble
        double[] m = new double[batch * steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                m[t * batch + b] = bt[b * steps + t];
            }
        }
        return m;
    }

    private static INDArray[] storedState(Map<String, INDArray> map) {
        INDArray h = map.get(STATE_KEYS[0]);
        if (h == null) {
            return null;
        }
        INDArray c = map.get(STATE_KEYS[1]);
        return c == null ? new INDArray[]{h} : new INDArray[]{h, c};
    }

    private INDArray toNcw(INDArray a) {
        return getDataFormat() == RNNFormat.NWC ? a.permute(0, 2, 1) : a;
    }

    private INDArray fromNcw(INDArray a) {
        return getDataFormat() == RNNFormat.NWC ? a.permute(0, 2, 1) : a;
    }

    private String formatHint() {
        return getDataFormat() == RNNFormat.NWC ? "[batch, steps, nIn] (NWC)" : "[batch, nIn, steps] (NCW)";
    }

    private void checkShape(String what, INDArray a, long batch, long size, long steps) {
        if (a.rank() != 3 || a.size(0) != batch || a.size(1) != size || a.size(2) != steps) {
            throw new IllegalArgumentException(layerId() + ": " + what + " must be [" + batch + ", " + size + ", "
                    + steps + "], got " + Arrays.toString(a.shape()));
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        // The mask is used inside the layer and passes through unchanged to the next layer.
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        lastPass = null;
        lastPassInput = null;
    }
}
