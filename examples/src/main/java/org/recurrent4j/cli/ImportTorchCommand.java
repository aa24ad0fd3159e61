package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.recurrent4j.interop.TorchImporter;
import org.recurrent4j.interop.TorchMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Converts a PyTorch RNN/LSTM/GRU state_dict into a DL4J model zip. */
@Command(name = "import-torch", mixinStandardHelpOptions = true, description = "Import the state_dict of a torch.nn.RNN, LSTM or GRU (saved with "
        + "numpy.savez) as a DL4J model zip: input [batch, input, time], output [batch, hidden (proj_size if set) x directions, time].")
final class ImportTorchCommand implements Callable<Integer> {

    @Option(names = "--mode", required = true, paramLabel = "RNN_TANH|RNN_RELU|LSTM|GRU",
            description = "The PyTorch module the weights come from.")
    String mode;

    @Option(names = "--weights", required = true, paramLabel = "state.npz", description = "numpy.savez of the state_dict.")
    Path weights;

    @Option(names = "--out", required = true, paramLabel = "model.zip", description = "The DL4J model to write.")
    Path out;

    @Mixin
    BackendOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TorchMode m = TorchMode.parse(mode);
        UserException.checkWritable("--out", out, weights);
        options.activate();
        MultiLayerNetwork net = TorchImporter.importToFile(weights, m, out);
        spec.commandLine().getOut().printf("wrote %s: %d layer(s), %d parameters, %s%n", out, net.getnLayers(),
                net.numParams(), net.getLayerWiseConfigurations().getDataType());
        return 0;
    }
}
