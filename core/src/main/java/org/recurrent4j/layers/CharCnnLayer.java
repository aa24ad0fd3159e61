package org.recurrent4j.layers;

import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime layer behind {@code conf.CharCnn} (any configuration that is a {@link Spec}). All characters of the
 * batch are gathered into one window matrix {@code [chars, width*charDim]}, so the convolution is one GEMM forward
 * and two backward; the max over each word's positions and its gradient (to the arg-max position only) are plain
 * loops.
 */
public class CharCnnLayer extends BaseLayer<org.deeplearning4j.nn.conf.layers.FeedForwardLayer> {

    /** Character embeddings {@code [nIn, charDim]}. */
    public static final String EMBEDDING_KEY = "E";
    /** Convolution filters {@code [width*charDim, nOut]}. */
    public static final String WEIGHT_KEY = "W";
    /** Filter bias {@code [1, nOut]}. */
    public static final String BIAS_KEY = "b";

    /** What this layer reads from its configuration beyond nIn (characters) and nOut (filters). */
    public interface Spec {
        /** Size of a character embedding. */
        int getCharDim();

        /** Characters a filter spans (odd). */
        int getWidth();

        /** Probability of dropping a character embedding in training. */
        double getCharDropout();
    }

    /** What backprop needs of the last training pass: plain arrays, as ND4J's workspaces close between calls. */
    private record Pass(INDArray input, int batch, int steps, int[] wordStart, int[] wordLength, int[] chars,
                        double[] dropMask, double[] windows, int[] argMax, double[] out) {
    }

    private Pass last;

    public CharCnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }


    private Pass forward(boolean training) {
        assertInputSet(false);
        org.deeplearning4j.nn.conf.layers.FeedForwardLayer c = layerConf();
        Spec spec = (Spec) c;
        if (input.rank() != 3) {
            throw new IllegalArgumentException(layerId() + ": input must be character indices [batch, maxWordLength, "
                    + "time], got shape " + Arrays.toString(input.shape()));
        }
        int batch = (int) input.size(0);
        int maxLen = (int) input.size(1);
        int steps = (int) input.size(2);
        int vocab = (int) c.getNIn();
        int dim = spec.getCharDim();
        int width = spec.getWidth();
        int half = width / 2;
        int filters = (int) c.getNOut();
        double[] idx = HostArrays.doubles(input);
        int words = batch * steps;
        int[] wordStart = new int[words];
        int[] wordLength = new int[words];
        int total = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int n = 0;
                while (n < maxLen && idx[(b * maxLen + n) * steps + t] != 0) {
                    n++;
                }
                wordStart[b * steps + t] = total;
                wordLength[b * steps + t] = n;
                total += n;
            }
        }
        int[] chars = new int[total];
        for (int w = 0; w < words; w++) {
            int b = w / steps;
            int t = w % steps;
            for (int p = 0; p < wordLength[w]; p++) {
                double v = idx[(b * maxLen + p) * steps + t];
                if (v != Math.rint(v)) {
                    throw new IllegalArgumentException(layerId() + ": character index " + (float) v + " (example "
                            + b + ", step " + t + ", position " + p + ") is not a whole number: the input holds "
                            + "character indices");
                }
                if (v < 1 || v >= vocab) {
                    throw new IllegalArgumentException(layerId() + ": character index " + (long) v + " (example " + b
                            + ", step " + t + ", position " + p + ") is outside 1.." + (vocab - 1)
                            + ": the layer's nIn is the character vocabulary size");
                }
                chars[wordStart[w] + p] = (int) v;
            }
        }
        double[] emb = HostArrays.doubles(params.get(EMBEDDING_KEY));
        double keep = 1 - spec.getCharDropout();
        double[] dropMask = null;
        if (training && spec.getCharDropout() > 0) {
            Random r = new Random(Nd4j.getRandom().nextLong());
            dropMask = new double[total * dim];
            for (int i = 0; i < dropMask.length; i++) {
                dropMask[i] = r.nextDouble() < keep ? 1 / keep : 0;
            }
        }
        int cols = width * dim;
        double[] win = new double[Math.max(1, total) * cols];
        for (int w = 0; w < words; w++) {
            int s = wordStart[w];
            int n = wordLength[w];
            for (int p = 0; p < n; p++) {
                for (int o = 0; o < width; o++) {
                    int q = p + o - half;
                    if (q < 0 || q >= n) {
                        continue;
                    }
                    int ch = chars[s + q];
                    int dst = (s + p) * cols + o * dim;
                    for (int d = 0; d < dim; d++) {
                        win[dst + d] = emb[ch * dim + d] * (dropMask == null ? 1 : dropMask[(s + q) * dim + d]);
                    }
                }
            }
        }
        INDArray windows = HostArrays.of(win, new long[]{Math.max(1, total), cols}, dataType);
        double[] pre = HostArrays.doubles(windows.mmul(params.get(WEIGHT_KEY))
                .addiRowVector(params.get(BIAS_KEY)));
        int[] argMax = new int[words * filters];
        double[] out = new double[batch * filters * steps];
        for (int w = 0; w < words; w++) {
            int n = wordLength[w];
            if (n == 0) {
                continue;
            }
            int b = w / steps;
            int t = w % steps;
            int s = wordStart[w];
            for (int f = 0; f < filters; f++) {
                int best = s;
                for (int p = s + 1; p < s + n; p++) {
                    if (pre[p * filters + f] > pre[best * filters + f]) {
                        best = p;
                    }
                }
                argMax[w * filters + f] = best;
                // tanh is increasing: the max of tanh over positions is tanh of the max
                out[(b * filters + f) * steps + t] = tanh(pre[best * filters + f]);
            }
        }
        return new Pass(input, batch, steps, wordStart, wordLength, chars, dropMask, win, argMax, out);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        Pass p = forward(training);
        last = training ? p : null;
        long[] shape = {p.batch(), layerConf().getNOut(), p.steps()};
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
        HostArrays.write(p.out(), out);
        return out;
    }

    /**
     * tanh from one {@code Math.exp}, a HotSpot intrinsic, where {@code Math.tanh} is a slow library call (a third of
     * this layer's forward pass); the absolute error stays at a few ulps of 1, as in the recurrent kernels.
     */
    private static double tanh(double x) {
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return x < 0 ? -t : t;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pass p = last != null && last.input() == input ? last : forward(true);
        org.deeplearning4j.nn.conf.layers.FeedForwardLayer c = layerConf();
        Spec spec = (Spec) c;
        int filters = (int) c.getNOut();
        int dim = spec.getCharDim();
        int width = spec.getWidth();
        int half = width / 2;
        int cols = width * dim;
        if (epsilon.rank() != 3 || epsilon.size(0) != p.batch() || epsilon.size(1) != filters
                || epsilon.size(2) != p.steps()) {
            throw new IllegalArgumentException(layerId() + ": epsilon must be [" + p.batch() + ", " + filters + ", "
                    + p.steps() + "], got " + Arrays.toString(epsilon.shape()));
        }
        double[] eps = HostArrays.doubles(epsilon);
        int total = p.chars().length;
        double[] dPre = new double[Math.max(1, total) * filters];
        int words = p.batch() * p.steps();
        for (int w = 0; w < words; w++) {
            if (p.wordLength()[w] == 0) {
                continue;
            }
            int b = w / p.steps();
            int t = w % p.steps();
            for (int f = 0; f < filters; f++) {
                int o = (b * filters + f) * p.steps() + t;
                double y = p.out()[o];
                dPre[p.argMax()[w * filters + f] * filters + f] += eps[o] * (1 - y * y);
            }
        }
        INDArray dPreArr = HostArrays.of(dPre, new long[]{Math.max(1, total), filters}, dataType);
        INDArray windows = HostArrays.of(p.windows(), new long[]{Math.max(1, total), cols}, dataType);
        gradientViews.get(WEIGHT_KEY).assign(windows.transpose().mmul(dPreArr));
        gradientViews.get(BIAS_KEY).assign(dPreArr.sum(true, 0));
        double[] dWin = HostArrays.doubles(
                dPreArr.mmul(params.get(WEIGHT_KEY).transpose()));
        double[] dEmb = new double[(int) c.getNIn() * dim];
        for (int w = 0; w < words; w++) {
            int s = p.wordStart()[w];
            int n = p.wordLength()[w];
            for (int q = 0; q < n; q++) {
                for (int o = 0; o < width; o++) {
                    int pos = q + o - half;
                    if (pos < 0 || pos >= n) {
                        continue;
                    }
                    int ch = p.chars()[s + pos];
                    int src = (s + q) * cols + o * dim;
                    for (int d = 0; d < dim; d++) {
                        double m = p.dropMask() == null ? 1 : p.dropMask()[(s + pos) * dim + d];
                        dEmb[ch * dim + d] += dWin[src + d] * m;
                    }
                }
            }
        }
        gradientViews.get(EMBEDDING_KEY)
                .assign(HostArrays.of(dEmb, new long[]{c.getNIn(), dim}, dataType));
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : c.initializer().paramKeys(c)) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        last = null;
        return new Pair<>(g, null);   // the input is indices: nothing flows back to it
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        last = null;
    }
}
