import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Lstm;

/**
 * A plain DL4J program with recurrent4j's Lstm and no set-up call: the README's network at bench's shapes (batch 32,
 * 50 steps, 100 inputs, 128 hidden, 9 classes, Adam), fit in a loop. Prints the median training step in ms.
 */
public class PlainLstm {
    public static void main(String[] args) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new Lstm.Builder().nIn(100).nOut(128).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(9).build())
                .setInputType(InputType.recurrent(100))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 100, 50);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 9, 50);
        for (int b = 0; b < 32; b++) {
            for (int t = 0; t < 50; t++) {
                y.putScalar(new long[]{b, (b + t) % 9, t}, 1.0);
            }
        }
        // warm up as `bench` does (at least 5 s and 200 steps), so that both are timed after the JIT's work
        long start = System.nanoTime();
        for (int i = 0; i < 200 || System.nanoTime() - start < 5_000_000_000L; i++) {
            net.fit(x, y);
        }
        int iters = 20;
        double[] ms = new double[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            net.fit(x, y);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        System.out.printf(java.util.Locale.ROOT, "plain program: LSTM training step %.2f ms (median of %d)%n",
                ms[iters / 2], iters);
    }
}
