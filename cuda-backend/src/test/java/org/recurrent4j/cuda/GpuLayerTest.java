package org.recurrent4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.backend.BackendChoice;
import org.recurrent4j.backend.Backends;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.engine.RecurrentKernel;
import org.recurrent4j.layers.FusedRecurrentLayer;

/**
 * The CUDA kernels inside a DL4J network, as a user on a Hopper GPU runs them (here on the emulated device): the
 * same network with every recurrent layer on GpuRecurrentKernel gives the CPU kernels' output, score, gradients,
 * masked sequences and rnnTimeStep stream, and trains to the same parameters.
 */
class GpuLayerTest {

    private static EmulatedDevice device;

    @BeforeAll
    static void start() throws Exception {
        Backends.activate(BackendChoice.CPU);
        device = EmulatedDevice.shared();
    }


    @Test
    void aNetworkOnTheGpuKernelsEqualsTheCpuOne() throws Exception {
        assumeTrue(device != null, EmulatedDevice.NO_COMPILER);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new Lstm.Builder().nOut(6).build())
                .layer(new Gru.Builder().nOut(5).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.recurrent(4)).build();
        MultiLayerNetwork cpu = new MultiLayerNetwork(conf.clone());
        cpu.init();
        MultiLayerNetwork gpu = new MultiLayerNetwork(conf.clone());
        gpu.init(cpu.params().dup(), true);
        int onGpu = 0;
        for (Layer layer : gpu.getLayers()) {
            if (layer instanceof FusedRecurrentLayer f) {
                Field k = FusedRecurrentLayer.class.getDeclaredField("kernel");
                k.setAccessible(true);
                RecurrentKernel cpuKernel = (RecurrentKernel) k.get(f);
                k.set(f, new GpuRecurrentKernel(cpuKernel,
                        CudaKernelAccelerator.cellOf(((org.recurrent4j.engine.CellEngine) cpuKernel).cell()), () -> device));
                onGpu++;
            }
        }
        assertEquals(2, onGpu);

        Nd4j.getRandom().setSeed(5);
        int batch = 3;
        int steps = 6;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 4, steps);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 3, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                labels.putScalar(b, (b + t) % 3, t, 1.0);
            }
        }
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch, steps);
        mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(4, steps)).assign(0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(2, steps)).assign(0);

        sameOutputScoreAndGradients(cpu, gpu, x, labels, mask);

        cpu.clearLayerMaskArrays();
        gpu.clearLayerMaskArrays();
        for (int t = 0; t < steps; t++) {
            INDArray step = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            close("rnnTimeStep " + t, gpu.rnnTimeStep(step), cpu.rnnTimeStep(step));
        }

        sameAfterFiveAdamSteps(cpu, gpu, x, labels, mask);
    }

    /** Both directions of a bidirectional layer on the GPU kernels, one kernel each, as the layer runs them. */
    @Test
    void aBidirectionalNetworkOnTheGpuKernelsEqualsTheCpuOne() throws Exception {
        assumeTrue(device != null, EmulatedDevice.NO_COMPILER);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).list()
                .layer(new Lstm.Builder().nOut(5).bidirectional(true).build())
                .layer(new Gru.Builder().nOut(4).bidirectional(true).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(3).build())
                .setInputType(InputType.recurrent(4)).build();
        MultiLayerNetwork cpu = new MultiLayerNetwork(conf.clone());
        cpu.init();
        MultiLayerNetwork gpu = new MultiLayerNetwork(conf.clone());
        gpu.init(cpu.params().dup(), true);
        Field k = FusedRecurrentLayer.class.getDeclaredField("kernel");
        Field two = FusedRecurrentLayer.class.getDeclaredField("twoWay");
        k.setAccessible(true);
        two.setAccessible(true);
        int onGpu = 0;
        for (Layer layer : gpu.getLayers()) {
            if (layer instanceof FusedRecurrentLayer f) {
                RecurrentKernel forward = (RecurrentKernel) k.get(f);
                org.recurrent4j.cells.Cell cell = ((org.recurrent4j.conf.RecurrentLayerConf) f.conf().getLayer()).cell();
                RecurrentKernel backward = new org.recurrent4j.engine.CellEngine(cell);
                two.set(f, new org.recurrent4j.engine.TwoDirections(
                        new GpuRecurrentKernel(forward, CudaKernelAccelerator.cellOf(cell), () -> device),
                        new GpuRecurrentKernel(backward, CudaKernelAccelerator.cellOf(cell), () -> device)));
                onGpu++;
            }
        }
        assertEquals(2, onGpu);

        Nd4j.getRandom().setSeed(6);
        int batch = 3;
        int steps = 5;
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 4, steps);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 3, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                labels.putScalar(b, (b * t) % 3, t, 1.0);
            }
        }
        INDArray mask = Nd4j.ones(DataType.FLOAT, batch, steps);
        mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, steps)).assign(0);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.interval(1, steps)).assign(0);

        sameOutputScoreAndGradients(cpu, gpu, x, labels, mask);
        sameAfterFiveAdamSteps(cpu, gpu, x, labels, mask);
    }

    private static void sameOutputScoreAndGradients(MultiLayerNetwork cpu, MultiLayerNetwork gpu, INDArray x,
                                                    INDArray labels, INDArray mask) {
        close("output", gpu.output(x, false, mask, mask), cpu.output(x, false, mask, mask));
        for (MultiLayerNetwork net : new MultiLayerNetwork[]{cpu, gpu}) {
            net.setInput(x);
            net.setLabels(labels);
            net.setLayerMaskArrays(mask, mask);
            net.computeGradientAndScore();
        }
        assertEquals(cpu.score(), gpu.score(), 1e-5 * Math.abs(cpu.score()), "score");
        close("gradient", gpu.gradient().gradient(), cpu.gradient().gradient());
    }

    private static void sameAfterFiveAdamSteps(MultiLayerNetwork cpu, MultiLayerNetwork gpu, INDArray x,
                                               INDArray labels, INDArray mask) {
        org.nd4j.linalg.dataset.DataSet data = new org.nd4j.linalg.dataset.DataSet(x, labels, mask, mask);
        for (int i = 0; i < 5; i++) {
            cpu.fit(data);
            gpu.fit(data);
        }
        close("parameters after 5 Adam steps", gpu.params(), cpu.params());
    }

    private static void close(String what, INDArray actual, INDArray expected) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertEquals(0.0, diff, 1e-5 * Math.max(scale, 1e-3), what + ": max difference " + diff + " at scale "
                + scale);
    }
}
