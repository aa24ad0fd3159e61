package org.recurrent4j.layers;

import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.compute.LinearChainCrf;

/**
 * The runtime layer behind {@code conf.CrfOutputLayer} (any configuration that is a {@link Spec}): emissions by one
 * GEMM over all steps of the batch, then per
 * sequence the forward-backward pass (loss and gradients) or Viterbi (output) of {@link LinearChainCrf}.
 */
public class CrfLayer extends BaseLayer<org.deeplearning4j.nn.conf.layers.FeedForwardLayer> implements IOutputLayer {

    /** Emission weights {@code [nIn, tags]}. */
    public static final String WEIGHT_KEY = "W";
    /** Emission bias {@code [1, tags]}. */
    public static final String BIAS_KEY = "b";
    /** Transition scores {@code [tags, tags]}, from row to column. */
    public static final String TRANSITION_KEY = "T";
    /** Scores of the first tag {@code [1, tags]}. */
    public static final String START_KEY = "start";
    /** Scores of the last tag {@code [1, tags]}. */
    public static final String END_KEY = "end";

    /** What this layer reads from its configuration beyond nIn and nOut (tags). */
    public interface Spec {
        /** The layout of the input and labels. */
        org.deeplearning4j.nn.conf.RNNFormat getDataFormat();

        /** Transitions decoding may take, {@code [from * tags + to]}; null for all. */
        boolean[] getAllowedTransitions();

        /** Tags a sequence may start with; null for all. */
        boolean[] getAllowedStart();

        /** Tags a sequence may end with; null for all. */
        boolean[] getAllowedEnd();
    }

    private INDArray labels;
    /** Per-example NLL of the last backprop, reused by computeScore for the same input, labels and mask. */
    private double[] lastNll;
    private Object[] lastKey;

    public CrfLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Time steps of the input, in either layout. */
    private int steps() {
        return (int) ncw(input).size(2);
    }

    private int tags() {
        return (int) layerConf().getNOut();
    }

    /**
     * One batch as the CRF's arithmetic takes it: emissions row-major {@code [batch * time * K]}, the real length of
     * each sequence, and the transition and end scores; {@code x} the input as {@code [time * batch, nIn]}, time-major.
     */
    private record Batch(int size, int steps, int[] len, double[] e, double[] tr, double[] start, double[] end,
                         INDArray x) {
    }

    private Batch batch(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray[] ex = emissions(training, workspaceMgr);
        int b = (int) input.size(0);
        int t = steps();
        return new Batch(b, t, lengths(b, t), batchMajor(HostArrays.doubles(ex[0]), b, t, tags()), transitions(),
                row(START_KEY),
                row(END_KEY), ex[1]);
    }

    /**
     * Emissions {@code [time * batch, K]} and the input as {@code [time * batch, nIn]}, both time-major (row
     * {@code t * batch + b}): the layout a recurrent layer's output already has, so no transposing copy is made.
     */
    private INDArray[] emissions(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray in = ncw(input.castTo(dataType));
        long nIn = layerConf().getNIn();
        if (in.rank() != 3 || in.size(1) != nIn) {
            throw new IllegalArgumentException(layerId() + ": input must be " + layout(nIn) + ", got "
                    + Arrays.toString(input.shape()));
        }
        long b = in.size(0);
        long t = in.size(2);
        INDArray x = in.permute(0, 2, 1).reshape('f', b * t, nIn);
        INDArray e = x.mmul(getParamWithNoise(WEIGHT_KEY, training, workspaceMgr))
                .addiRowVector(getParamWithNoise(BIAS_KEY, training, workspaceMgr));
        return new INDArray[]{e, x};
    }

    /** Rows {@code t * batch + b} of a row-major {@code [rows, k]} array reordered to rows {@code b * steps + t}. */
    private static double[] batchMajor(double[] timeMajor, int batch, int steps, int k) {
        return reorder(timeMajor, batch, steps, k, true);
    }

    /** The inverse of {@link #batchMajor}. */
    private static double[] timeMajor(double[] batchMajor, int batch, int steps, int k) {
        return reorder(batchMajor, batch, steps, k, false);
    }

    private static double[] reorder(double[] a, int batch, int steps, int k, boolean toBatchMajor) {
        double[] r = new double[a.length];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int tm = (t * batch + b) * k;
                int bm = (b * steps + t) * k;
                System.arraycopy(a, toBatchMajor ? tm : bm, r, toBatchMajor ? bm : tm, k);
            }
        }
        return r;
    }

    private boolean nwc() {
        return ((Spec) layerConf()).getDataFormat() == org.deeplearning4j.nn.conf.RNNFormat.NWC;
    }

    /** An array in the layer's layout as NCW: a view. */
    private INDArray ncw(INDArray a) {
        return nwc() && a.rank() == 3 ? a.permute(0, 2, 1) : a;
    }

    private String layout(long width) {
        return nwc() ? "[batch, time, " + width + "] (NWC)" : "[batch, " + width + ", time] (NCW)";
    }

    /** Real steps of each sequence, from the mask ({@code [batch, time]}, right-padded) or all where none. */
    private int[] lengths(int batch, int steps) {
        int[] len = new int[batch];
        if (maskArray == null) {
            Arrays.fill(len, steps);
            return len;
        }
        if (maskArray.rank() != 2 || maskArray.size(0) != batch || maskArray.size(1) != steps) {
            throw new IllegalArgumentException(layerId() + ": mask must be [batch, time] = [" + batch + ", " + steps
                    + "], got " + Arrays.toString(maskArray.shape()));
        }
        double[] m = HostArrays.doubles(maskArray);
        for (int i = 0; i < batch; i++) {
            int n = 0;
            while (n < steps && m[i * steps + n] != 0) {
                n++;
            }
            for (int j = n; j < steps; j++) {
                if (m[i * steps + j] != 0) {
                    throw new IllegalArgumentException(layerId() + ": the mask of example " + i + " has a gap (step "
                            + n + " masked, step " + j + " not): a CRF needs right-padded sequences");
                }
            }
            len[i] = n;
        }
        return len;
    }


    private double[] row(String key) {
        return HostArrays.doubles(params.get(key));
    }

    /** T as row-major {@code [K*K]}: {@code T[i * K + j]}. */
    private double[] transitions() {
        return HostArrays.doubles(params.get(TRANSITION_KEY));
    }

    /** Gold tag indices {@code [batch][time]} from one-hot labels {@code [batch, K, time]}, real steps checked. */
    private int[][] gold(int batch, int steps, int[] len) {
        int k = tags();
        if (labels == null) {
            throw new IllegalStateException(layerId() + ": no labels set");
        }
        INDArray lab = ncw(labels);
        if (lab.rank() != 3 || lab.size(0) != batch || lab.size(1) != k || lab.size(2) != steps) {
            throw new IllegalArgumentException(layerId() + ": labels must be one-hot " + layout(k) + " with batch "
                    + batch + " and time " + steps + ", got " + Arrays.toString(labels.shape()));
        }
        double[] l = HostArrays.doubles(lab);
        int[][] g = new int[batch][steps];
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < len[i]; t++) {
                int best = -1;
                int ones = 0;
                for (int j = 0; j < k; j++) {
                    double v = l[(i * k + j) * steps + t];
                    if (v == 1.0) {
                        best = j;
                        ones++;
                    } else if (v != 0.0) {
                        ones = -1;   // neither 0 nor 1: not one-hot
                        break;
                    }
                }
                if (ones != 1) {
                    throw new IllegalArgumentException(layerId() + ": labels of example " + i + " at step " + t
                            + (ones == 0 ? " are all zero on an unmasked step" : " are not one-hot")
                            + ": a CRF takes one tag per step, a 1 and zeros (soft or multiple labels have no "
                            + "meaning for it); mask the steps without a tag");
                }
                g[i][t] = best;
            }
        }
        return g;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Batch bt = batch(true, workspaceMgr);
        int batch = bt.size();
        int steps = bt.steps();
        int k = tags();
        double[] dE = new double[batch * steps * k];
        double[] dT = new double[k * k];
        double[] dStart = new double[k];
        double[] dEnd = new double[k];
        double[] nll = sequenceNll(bt, dE, dT, dStart, dEnd);
        lastNll = nll;
        lastKey = new Object[]{input, labels, maskArray};

        INDArray dEm = HostArrays.of(timeMajor(dE, batch, steps, k), new long[]{(long) batch * steps, k}, dataType);
        INDArray x = bt.x();
        INDArray w = params.get(WEIGHT_KEY);
        gradientViews.get(WEIGHT_KEY).assign(x.transpose().mmul(dEm));
        gradientViews.get(BIAS_KEY).assign(dEm.sum(true, 0));
        gradientViews.get(TRANSITION_KEY)
                .assign(HostArrays.of(dT, new long[]{k, k}, dataType));
        gradientViews.get(START_KEY).assign(HostArrays.of(dStart, new long[]{1, k}, dataType));
        gradientViews.get(END_KEY).assign(HostArrays.of(dEnd, new long[]{1, k}, dataType));
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : layerConf().initializer().paramKeys(layerConf())) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        long nIn = layerConf().getNIn();
        INDArray dX = dEm.mmul(w.transpose()).reshape('c', new long[]{steps, batch, nIn}).permute(1, 2, 0);
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                nwc() ? new long[]{batch, steps, nIn} : new long[]{batch, nIn, steps}, 'c');
        ncw(eps).assign(dX);
        weightNoiseParams.clear();
        return new Pair<>(g, backpropDropOutIfPresent(eps));
    }

    /** Per-example negative log-likelihood, from the last backprop where nothing changed since. */
    private double[] exampleNll(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (lastNll != null && lastKey[0] == input && lastKey[1] == labels && lastKey[2] == maskArray) {
            return lastNll;
        }
        return sequenceNll(batch(training, workspaceMgr), null, null, null, null);
    }

    /**
     * Each sequence's negative log-likelihood; where {@code dE} is not null, adds the gradients (sums over the
     * batch, DL4J's convention: the score is the minibatch mean and the updater divides the gradients).
     */
    private double[] sequenceNll(Batch bt, double[] dE, double[] dT, double[] dStart, double[] dEnd) {
        int k = tags();
        int steps = bt.steps();
        int[] len = bt.len();
        int[][] gold = gold(bt.size(), steps, len);
        LinearChainCrf crf = new LinearChainCrf(k);
        double[] seqE = new double[steps * k];
        double[] seqDE = dE == null ? null : new double[steps * k];
        double[] nll = new double[bt.size()];
        for (int i = 0; i < bt.size(); i++) {
            if (len[i] == 0) {
                continue;
            }
            System.arraycopy(bt.e(), i * steps * k, seqE, 0, len[i] * k);
            if (seqDE != null) {
                Arrays.fill(seqDE, 0);
            }
            nll[i] = crf.nll(seqE, len[i], gold[i], bt.tr(), bt.start(), bt.end(), 1.0, seqDE, dT, dStart, dEnd);
            if (seqDE != null) {
                System.arraycopy(seqDE, 0, dE, i * steps * k, len[i] * k);
            }
        }
        return nll;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        double[] nll = exampleNll(training, workspaceMgr);
        double sum = 0;
        for (double v : nll) {
            sum += v;
        }
        score = sum / nll.length + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        double[] nll = exampleNll(false, workspaceMgr);
        double[] out = new double[nll.length];
        for (int i = 0; i < nll.length; i++) {
            out[i] = nll[i] + fullNetRegTerm;
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS,
                HostArrays.of(out, new long[]{nll.length, 1}, dataType));
    }

    /** The Viterbi path of each sequence, one-hot {@code [batch, K, time]}, zero at masked steps. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        Batch bt = batch(training, workspaceMgr);
        int batch = bt.size();
        int steps = bt.steps();
        int k = tags();
        int[] len = bt.len();
        double[] e = bt.e();
        double[] tr = bt.tr();
        double[] start = bt.start();
        double[] end = bt.end();
        Spec c = (Spec) layerConf();
        LinearChainCrf crf = new LinearChainCrf(k);
        double[] seqE = new double[steps * k];
        double[] out = new double[batch * k * steps];
        for (int i = 0; i < batch; i++) {
            if (len[i] == 0) {
                continue;
            }
            System.arraycopy(e, i * steps * k, seqE, 0, len[i] * k);
            int[] path = crf.viterbi(seqE, len[i], tr, start, end, c.getAllowedTransitions(), c.getAllowedStart(),
                    c.getAllowedEnd());
            for (int t = 0; t < len[i]; t++) {
                out[(i * k + path[t]) * steps + t] = 1;
            }
        }
        INDArray result = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType,
                nwc() ? new long[]{batch, steps, k} : new long[]{batch, k, steps}, 'c');
        ncw(result).assign(HostArrays.of(out, new long[]{batch, k, steps}, dataType));
        return result;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        lastNll = null;
        lastKey = null;
    }

    @Override
    public int numLabels() {
        return tags();
    }

    private UnsupportedOperationException standalone() {
        return new UnsupportedOperationException(layerId() + ": a CRF layer is trained and evaluated as part of its "
                + "network: call fit/output/evaluate on the MultiLayerNetwork or ComputationGraph");
    }

    @Override
    public double f1Score(DataSet data) {
        throw standalone();
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw standalone();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw standalone();
    }

    @Override
    public int[] predict(INDArray examples) {
        throw standalone();
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw standalone();
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw standalone();
    }

    @Override
    public void fit(DataSet data) {
        throw standalone();
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw standalone();
    }
}
