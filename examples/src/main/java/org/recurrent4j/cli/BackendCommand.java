package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.recurrent4j.backend.BackendDecision;
import org.recurrent4j.backend.RuntimeReport;
import org.recurrent4j.engine.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the backend this machine runs on and why the others were not taken. */
@Command(name = "backend", mixinStandardHelpOptions = true, description = "Show the backend chosen here, the device, ND4J's backend, BLAS and threads.")
final class BackendCommand implements Callable<Integer> {

    @Mixin
    BackendOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BackendDecision d = options.activate(false);   // the report below prints the BLAS warning
        PrintWriter out = spec.commandLine().getOut();
        out.println("backend: " + d.summary() + " (asked: " + d.choice() + ")");
        out.println("device: " + d.device());
        for (Map.Entry<String, String> e : RuntimeReport.describe().entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        if (!d.cuda()) {
            out.println("recurrent4j cpu kernels: " + Kernels.cpuThreads());
        }
        RuntimeReport.verify(d);
        for (String why : d.notTaken()) {
            out.println("not taken: " + why);
        }
        out.flush();
        return 0;
    }
}
