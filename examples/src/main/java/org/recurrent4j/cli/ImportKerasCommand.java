package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.recurrent4j.interop.KerasImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Converts a Keras model of recurrent layers into a DL4J model zip. */
@Command(name = "import-keras", mixinStandardHelpOptions = true, description = "Import a Keras model (tf.keras 2 / "
        + "Keras 2 .h5, Keras 3 .keras; SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Masking, Dense, "
        + "TimeDistributed, Dropout) as a DL4J model zip of recurrent4j layers: a Sequential model as a "
        + "MultiLayerNetwork, a functional one as a ComputationGraph, taking and returning what the Keras model does.")
final class ImportKerasCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "model.h5|model.keras|model.json",
            description = "The saved model; with --weights, the JSON of model.to_json().")
    Path model;

    @Option(names = "--weights", paramLabel = "weights.h5",
            description = "The file of model.save_weights(...), where --model is the JSON of model.to_json().")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "model.zip", description = "The DL4J model to write.")
    Path out;

    @Mixin
    BackendOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UserException.checkWritable("--out", out, model, weights);
        options.activate();
        Model net = weights == null ? KerasImporter.importToFile(model, out)
                : KerasImporter.importToFile(model, weights, out);
        String kind = net instanceof MultiLayerNetwork m ? "MultiLayerNetwork of " + m.getnLayers() + " layers"
                : "ComputationGraph of " + ((ComputationGraph) net).getNumLayers() + " layers";
        boolean masked = java.util.Arrays.stream(net instanceof MultiLayerNetwork m ? m.getLayers()
                : ((ComputationGraph) net).getLayers()).anyMatch(l -> l.conf().getLayer()
                instanceof org.recurrent4j.conf.RequireMask);
        spec.commandLine().getOut().printf("wrote %s: %s, %d parameters%n", out, kind, net.numParams());
        if (masked) {
            spec.commandLine().getOut().printf("the model derives a mask from its input (Embedding(mask_zero=True) or "
                    + "Masking): pass KerasImporter.paddingMask(net, input) as the features mask%n");
        }
        return 0;
    }
}
