package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.recurrent4j.conf.CrfOutputLayer;
import org.recurrent4j.conf.Lstm;

/**
 * The CRF output layer against brute-force enumeration of every tag path (loss, every gradient, decoding with and
 * without constraints), DL4J's finite-difference gradient check in double precision, and round trips.
 */
class CrfOutputLayerTest {

    static final int K = 3;
    static final int N_IN = 4;
    static final int STEPS = 4;
    static final int[] LENGTHS = {4, 2, 3};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static MultiLayerNetwork crfOnly(CrfOutputLayer.Builder b) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(b.nIn(N_IN).nOut(K).build())
                .setInputType(InputType.recurrent(N_IN)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random r = new Random(11);
        net.getLayer(0).paramTable().forEach((k, v) -> {
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, r.nextGaussian());
            }
        });
        return net;
    }

    /** Every path of length L over K tags, as the index of its tags in base K. */
    static int[] path(long code, int length) {
        int[] p = new int[length];
        for (int t = length - 1; t >= 0; t--) {
            p[t] = (int) (code % K);
            code /= K;
        }
        return p;
    }

    record Brute(double meanNll, double[][] dW, double[] db, double[][] dT, double[] dStart, double[] dEnd,
                 int[][] best, int[][] bestAllowed) {
    }

    /**
     * Loss (minibatch mean), gradients (sums over the minibatch, DL4J's convention: the updater divides them) and
     * best paths, by enumerating all K^L paths of every sequence.
     */
    static Brute brute(MultiLayerNetwork net, INDArray x, INDArray y, boolean[][] allowed, boolean[] allowedStart,
                       boolean[] allowedEnd) {
        double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix();
        double[] b = net.getLayer(0).getParam("b").toDoubleVector();
        double[][] tr = net.getLayer(0).getParam("T").toDoubleMatrix();
        double[] st = net.getLayer(0).getParam("start").toDoubleVector();
        double[] en = net.getLayer(0).getParam("end").toDoubleVector();
        int batch = LENGTHS.length;
        double[][] dW = new double[N_IN][K];
        double[] db = new double[K];
        double[][] dT = new double[K][K];
        double[] dStart = new double[K];
        double[] dEnd = new double[K];
        double total = 0;
        int[][] best = new int[batch][];
        int[][] bestAllowed = new int[batch][];
        for (int s = 0; s < batch; s++) {
            int len = LENGTHS[s];
            double[][] e = new double[len][K];
            int[] gold = new int[len];
            for (int t = 0; t < len; t++) {
                for (int k = 0; k < K; k++) {
                    e[t][k] = b[k];
                    for (int i = 0; i < N_IN; i++) {
                        e[t][k] += x.getDouble(s, i, t) * w[i][k];
                    }
                    if (y.getDouble(s, k, t) == 1) {
                        gold[t] = k;
                    }
                }
            }
            long paths = (long) Math.pow(K, len);
            double[] scores = new double[(int) paths];
            double max = Double.NEGATIVE_INFINITY;
            double maxAllowed = Double.NEGATIVE_INFINITY;
            for (long c = 0; c < paths; c++) {
                int[] p = path(c, len);
                double sc = st[p[0]] + en[p[len - 1]];
                boolean ok = allowedStart[p[0]] && allowedEnd[p[len - 1]];
                for (int t = 0; t < len; t++) {
                    sc += e[t][p[t]];
                    if (t > 0) {
                        sc += tr[p[t - 1]][p[t]];
                        ok &= allowed[p[t - 1]][p[t]];
                    }
                }
                scores[(int) c] = sc;
                if (sc > max) {
                    max = sc;
                    best[s] = p;
                }
                if (ok && sc > maxAllowed) {
                    maxAllowed = sc;
                    bestAllowed[s] = p;
                }
            }
            double z = 0;
            for (double sc : scores) {
                z += Math.exp(sc - max);
            }
            double logZ = max + Math.log(z);
            double goldScore = st[gold[0]] + en[gold[len - 1]];
            for (int t = 0; t < len; t++) {
                goldScore += e[t][gold[t]] + (t > 0 ? tr[gold[t - 1]][gold[t]] : 0);
            }
            total += logZ - goldScore;
            // d nll / d e[t][k] = P(y_t = k) - [gold_t = k], and likewise for the transitions and ends
            double[][] dE = new double[len][K];
            for (long c = 0; c < paths; c++) {
                int[] p = path(c, len);
                double prob = Math.exp(scores[(int) c] - logZ);
                dStart[p[0]] += prob;
                dEnd[p[len - 1]] += prob;
                for (int t = 0; t < len; t++) {
                    dE[t][p[t]] += prob;
                    if (t > 0) {
                        dT[p[t - 1]][p[t]] += prob;
                    }
                }
            }
            dStart[gold[0]] -= 1.0;
            dEnd[gold[len - 1]] -= 1.0;
            for (int t = 0; t < len; t++) {
                dE[t][gold[t]] -= 1.0;
                if (t > 0) {
                    dT[gold[t - 1]][gold[t]] -= 1.0;
                }
                for (int k = 0; k < K; k++) {
                    db[k] += dE[t][k];
                    for (int i = 0; i < N_IN; i++) {
                        dW[i][k] += x.getDouble(s, i, t) * dE[t][k];
                    }
                }
            }
        }
        return new Brute(total / batch, dW, db, dT, dStart, dEnd, best, bestAllowed);
    }

    static INDArray labels(long seed, int batch, int steps, int[] lengths) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, K, steps);
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < lengths[s]; t++) {
                y.putScalar(new long[]{s, r.nextInt(K), t}, 1.0);
            }
        }
        return y;
    }

    static void assertClose(double[][] expected, INDArray actual, String what) {
        double[][] a = actual.toDoubleMatrix();
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], a[i], 1e-10, what + " row " + i);
        }
    }

    @Test
    void lossGradientsAndDecodingEqualBruteForceEnumeration() {
        // transitions 0 -> 2 and 2 -> 1 forbidden, tag 1 may not start, tag 0 may not end
        boolean[][] allowed = {{true, true, false}, {true, true, true}, {true, false, true}};
        boolean[] allowedStart = {true, false, true};
        boolean[] allowedEnd = {false, true, true};
        MultiLayerNetwork plain = crfOnly(new CrfOutputLayer.Builder());
        MultiLayerNetwork constrained = crfOnly(new CrfOutputLayer.Builder()
                .allowedTransitions(allowed, allowedStart, allowedEnd));
        assertEquals(plain.params(), constrained.params());
        for (long seed = 1; seed <= 4; seed++) {
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, STEPS);
            INDArray y = labels(seed, LENGTHS.length, STEPS, LENGTHS);
            INDArray mask = Nets.mask(DataType.DOUBLE, STEPS, LENGTHS);
            Brute bf = brute(plain, x, y, allowed, allowedStart, allowedEnd);

            DataSet ds = new DataSet(x, y, mask, mask);
            assertEquals(bf.meanNll(), plain.score(ds), 1e-10, "mean NLL");
            plain.setInput(x);
            plain.setLabels(y);
            plain.setLayerMaskArrays(mask, mask);
            plain.computeGradientAndScore();
            assertEquals(bf.meanNll(), plain.score(), 1e-10, "score after computeGradientAndScore");
            Gradient g = plain.gradient();
            assertClose(bf.dW(), g.getGradientFor("0_W"), "dW");
            assertArrayEquals(bf.db(), g.getGradientFor("0_b").toDoubleVector(), 1e-10, "db");
            assertClose(bf.dT(), g.getGradientFor("0_T"), "dT");
            assertArrayEquals(bf.dStart(), g.getGradientFor("0_start").toDoubleVector(), 1e-10, "dstart");
            assertArrayEquals(bf.dEnd(), g.getGradientFor("0_end").toDoubleVector(), 1e-10, "dend");

            INDArray out = plain.output(x, false, mask, mask);
            INDArray outC = constrained.output(x, false, mask, mask);
            for (int s = 0; s < LENGTHS.length; s++) {
                for (int t = 0; t < STEPS; t++) {
                    for (int k = 0; k < K; k++) {
                        boolean real = t < LENGTHS[s];
                        assertEquals(real && bf.best()[s][t] == k ? 1.0 : 0.0, out.getDouble(s, k, t),
                                "Viterbi, example " + s + " step " + t);
                        assertEquals(real && bf.bestAllowed()[s][t] == k ? 1.0 : 0.0, outC.getDouble(s, k, t),
                                "constrained Viterbi, example " + s + " step " + t);
                    }
                }
            }
        }
    }

    @Test
    void perExampleScoresAreEachSequencesNll() {
        MultiLayerNetwork net = crfOnly(new CrfOutputLayer.Builder());
        INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, STEPS);
        INDArray y = labels(5, LENGTHS.length, STEPS, LENGTHS);
        INDArray mask = Nets.mask(DataType.DOUBLE, STEPS, LENGTHS);
        INDArray perExample = net.scoreExamples(new DataSet(x, y, mask, mask), false);
        assertEquals(net.score(new DataSet(x, y, mask, mask)) * LENGTHS.length, perExample.sumNumber().doubleValue(),
                1e-10);
    }

    static MultiLayerNetwork lstmCrf(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new Bidirectional(new Lstm.Builder().nIn(N_IN).nOut(3).build()))
                .layer(new CrfOutputLayer.Builder().nOut(K).build())
                .setInputType(InputType.recurrent(N_IN)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random r = new Random(seed);
        net.getLayer(1).paramTable().forEach((k, v) -> {
            for (long i = 0; i < v.length(); i++) {
                v.putScalar(i, r.nextGaussian() * 0.5);
            }
        });
        return net;
    }

    @Test
    void gradientCheckInDoublePrecisionBehindABidirectionalLstm() {
        for (boolean masked : new boolean[]{false, true}) {
            MultiLayerNetwork net = lstmCrf(7);
            Nd4j.getRandom().setSeed(9);
            INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, STEPS);
            int[] lengths = masked ? LENGTHS : new int[]{STEPS, STEPS, STEPS};
            INDArray y = labels(13, LENGTHS.length, STEPS, lengths);
            INDArray mask = masked ? Nets.mask(DataType.DOUBLE, STEPS, LENGTHS) : null;
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(y).inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5)
                    .minAbsoluteError(1e-9).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check, masked=" + masked);
        }
    }

    @Test
    void gradientCheckInAComputationGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("rnn", new Lstm.Builder().nIn(N_IN).nOut(4).dataFormat(RNNFormat.NCW).build(), "in")
                .addLayer("crf", new CrfOutputLayer.Builder().nIn(4).nOut(K).build(), "rnn")
                .setOutputs("crf").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.getLayer("crf").getParam("T").assign(Nd4j.randn(DataType.DOUBLE, K, K));
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, STEPS);
        INDArray y = labels(19, LENGTHS.length, STEPS, LENGTHS);
        INDArray mask = Nets.mask(DataType.DOUBLE, STEPS, LENGTHS);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).inputMask(new INDArray[]{mask})
                .labelMask(new INDArray[]{mask}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok);
    }

    @Test
    void jsonAndModelSerializerRoundTrips() throws Exception {
        boolean[][] allowed = {{true, false, true}, {true, true, true}, {false, true, true}};
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new Lstm.Builder().nIn(N_IN).nOut(5).build())
                .layer(new CrfOutputLayer.Builder().nOut(K).allowedTransitions(allowed,
                        new boolean[]{true, true, false}, new boolean[]{true, true, true}).build())
                .setInputType(InputType.recurrent(N_IN)).build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(conf.getConf(1).getLayer(), back.getConf(1).getLayer());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.randn(DataType.FLOAT, 3, N_IN, STEPS);
        INDArray y = labels(3, 3, STEPS, new int[]{STEPS, STEPS, STEPS}).castTo(DataType.FLOAT);
        for (int i = 0; i < 30; i++) {
            net.fit(x, y);   // the transitions move away from 0
        }
        assertTrue(net.getLayer(1).getParam("T").norm2Number().doubleValue() > 0.01);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(x), restored.output(x));
        assertEquals(net.score(new DataSet(x, y)), restored.score(new DataSet(x, y)), 1e-6);
    }

    @Test
    void learnsATaskThatNeedsTransitions() {
        // the tag of each step is the input's class at that step, except that tag 2 always follows tag 1: a
        // per-step classifier of the input alone cannot know it, the transitions can
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .updater(new Adam(0.05)).list()
                .layer(new CrfOutputLayer.Builder().nIn(K).nOut(K).build())
                .setInputType(InputType.recurrent(K)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Random r = new Random(4);
        int batch = 32;
        int steps = 8;
        INDArray x = Nd4j.zeros(DataType.FLOAT, batch, K, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, K, steps);
        for (int s = 0; s < batch; s++) {
            int prev = -1;
            for (int t = 0; t < steps; t++) {
                int c = r.nextInt(2);   // inputs only ever say 0 or 1
                x.putScalar(new long[]{s, c, t}, 1);
                int tag = prev == 1 ? 2 : c;
                y.putScalar(new long[]{s, tag, t}, 1);
                prev = tag;
            }
        }
        for (int i = 0; i < 300; i++) {
            net.fit(x, y);
        }
        assertEquals(y, net.output(x));
    }

    @Test
    void badLabelsAndMasksAreNamed() {
        MultiLayerNetwork net = crfOnly(new CrfOutputLayer.Builder());
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, N_IN, STEPS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.score(new DataSet(x, Nd4j.zeros(DataType.DOUBLE, 2, K, STEPS))));
        assertTrue(e.getMessage().contains("all zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> net.score(new DataSet(x, Nd4j.zeros(DataType.DOUBLE, 2, K + 1, STEPS))));
        assertTrue(e.getMessage().contains("labels must be one-hot"), e.getMessage());
        INDArray gap = Nd4j.createFromArray(new double[][]{{1, 0, 1, 1}, {1, 1, 1, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> net.output(x, false, gap, gap));
        assertTrue(e.getMessage().contains("right-padded"), e.getMessage());
    }

    @Test
    void nwcNetworksGetTheSameNumbersInTheirLayout() {
        MultiLayerNetwork ncw = crfOnly(new CrfOutputLayer.Builder());
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new CrfOutputLayer.Builder().nIn(N_IN).nOut(K).build())
                .setInputType(InputType.recurrent(N_IN, RNNFormat.NWC)).build();
        MultiLayerNetwork nwc = new MultiLayerNetwork(conf);
        nwc.init();
        nwc.setParams(ncw.params());
        INDArray x = Nd4j.randn(DataType.DOUBLE, LENGTHS.length, N_IN, STEPS);
        INDArray y = labels(6, LENGTHS.length, STEPS, LENGTHS);
        INDArray mask = Nets.mask(DataType.DOUBLE, STEPS, LENGTHS);
        INDArray xt = x.permute(0, 2, 1).dup();
        INDArray yt = y.permute(0, 2, 1).dup();
        assertEquals(ncw.score(new DataSet(x, y, mask, mask)), nwc.score(new DataSet(xt, yt, mask, mask)), 1e-12);
        assertEquals(ncw.output(x, false, mask, mask).permute(0, 2, 1), nwc.output(xt, false, mask, mask));
        ncw.setInput(x);
        ncw.setLabels(y);
        ncw.setLayerMaskArrays(mask, mask);
        ncw.computeGradientAndScore();
        nwc.setInput(xt);
        nwc.setLabels(yt);
        nwc.setLayerMaskArrays(mask, mask);
        nwc.computeGradientAndScore();
        assertEquals(ncw.gradient().gradient(), nwc.gradient().gradient());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CrfOutputLayer.Builder()
                .allowedTransitions(new boolean[2][2], new boolean[]{true, true}, new boolean[]{true, true}));
        assertTrue(e.getMessage().contains("forbid every transition"), e.getMessage());
    }
}
