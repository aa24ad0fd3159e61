package org.recurrent4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Outputs and gradients of imported networks against PyTorch's, from fixtures written by
 * {@code tools/make_torch_fixtures.py}: relative error below 1e-4 in float, 1e-10 in double.
 */
public class TorchFixtureTest {

    static Stream<String> fixtures() {
        return Stream.of("rnn_tanh_1l", "rnn_relu_2l_bidi_masked", "lstm_1l", "lstm_2l_bidi_masked", "gru_1l",
                "gru_2l_bidi_masked", "lstm_proj_1l", "lstm_proj_2l_bidi_masked")
                .flatMap(n -> Stream.of(n + "_f32", n + "_f64"));
    }

    static TorchMode mode(String name) {
        return name.startsWith("rnn_tanh") ? TorchMode.RNN_TANH : name.startsWith("rnn_relu") ? TorchMode.RNN_RELU
                : name.startsWith("lstm") ? TorchMode.LSTM : TorchMode.GRU;
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void outputAndGradientsEqualPyTorch(String name) throws Exception {
        Path file = Path.of(getClass().getResource("/fixtures/" + name + ".npz").toURI());
        Map<String, INDArray> f = TorchImporter.readNpz(file);
        double tol = name.endsWith("f64") ? 1e-10 : 1e-4;
        Map<String, INDArray> state = new java.util.TreeMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("weight_") || k.startsWith("bias_")) {
                state.put(k, v);
            }
        });
        TorchMode mode = mode(name);
        MultiLayerNetwork net = TorchImporter.importStateDict(state, mode, name);
        DataType dt = net.getLayerWiseConfigurations().getDataType();

        INDArray x = f.get("x").castTo(dt).permute(0, 2, 1).dup();          // [B, nIn, T]
        long batch = x.size(0);
        long steps = x.size(2);
        long[] lengths = f.get("lengths").toLongVector();
        INDArray mask = Nd4j.zeros(dt, batch, steps);
        boolean padded = false;
        for (int b = 0; b < batch; b++) {
            mask.get(NDArrayIndex.point(b), NDArrayIndex.interval(0, lengths[b])).assign(1);
            padded |= lengths[b] < steps;
        }
        INDArray y = f.get("y").castTo(dt).permute(0, 2, 1);
        INDArray out = net.output(x, false, padded ? mask : null, null);
        assertClose("output", y, out, tol);

        net.setInput(x);
        net.setLayerMaskArrays(padded ? mask : null, null);
        net.feedForward(true, false);
        INDArray eps = f.get("dy").castTo(dt).permute(0, 2, 1).dup('f');
        Pair<Gradient, INDArray> g = net.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        assertClose("grad_x", f.get("grad_x").castTo(dt).permute(0, 2, 1), g.getSecond(), tol);

        Map<String, INDArray> grads = g.getFirst().gradientForVariable();
        int layers = net.getnLayers();
        boolean bidi = state.keySet().stream().anyMatch(k -> k.endsWith("_reverse"));
        long hidden = f.get("weight_ih_l0").size(0) / mode.gates();
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < (bidi ? 2 : 1); d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                String p = l + "_";
                String r = d == 1 ? "Reverse" : "";
                assertClose(p + "W", f.get("grad_weight_ih" + suffix).castTo(dt).transpose(), grads.get(p + "W" + r), tol);
                assertClose(p + "RW", f.get("grad_weight_hh" + suffix).castTo(dt).transpose(), grads.get(p + "RW" + r),
                        tol);
                INDArray gbih = f.get("grad_bias_ih" + suffix).castTo(dt);
                INDArray gbhh = f.get("grad_bias_hh" + suffix).castTo(dt);
                assertClose(p + "b", gbih.reshape(1, gbih.length()), grads.get(p + "b" + r), tol);
                if (f.containsKey("grad_weight_hr" + suffix)) {
                    assertClose(p + "WHR", f.get("grad_weight_hr" + suffix).castTo(dt).transpose(),
                            grads.get(p + "WHR" + r), tol);
                }
                if (mode == TorchMode.GRU) {
                    assertClose(p + "RB", gbhh.get(NDArrayIndex.interval(2 * hidden, 3 * hidden)).reshape(1, hidden),
                            grads.get(p + "RB" + r), tol);
                } else {
                    assertClose(p + "b (hh)", gbhh.reshape(1, gbhh.length()), grads.get(p + "b" + r), tol);
                }
            }
        }
    }

    /** Largest absolute difference relative to the largest magnitude of the expected array. */
    public static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double scale = Math.max(e.amaxNumber().doubleValue(), 1e-30);
        double maxErr = e.sub(a).amaxNumber().doubleValue() / scale;
        assertTrue(maxErr < tol, what + ": relative error " + maxErr + " >= " + tol);
    }
}
