package org.recurrent4j.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Surveys the GPUs through the files the NVIDIA kernel driver publishes and {@code nvidia-smi}, which ships
 * with every driver. Nothing here loads a native library, so the survey is safe before ND4J starts.
 */
public final class SystemGpuProbe implements GpuProbe {

    private static final Path DRIVER_VERSION_FILE = Path.of("/proc/driver/nvidia/version");
    private static final Pattern DRIVER_VERSION = Pattern.compile("Kernel Module\\s+(?:for\\s+\\S+\\s+)?([0-9][0-9.]+)");

    private final Path driverVersionFile;
    private final List<String> smiCommand;

    public SystemGpuProbe() {
        this(DRIVER_VERSION_FILE, List.of("nvidia-smi", "--query-gpu=index,name,compute_cap",
                "--format=csv,noheader"));
    }

    SystemGpuProbe(Path driverVersionFile, List<String> smiCommand) {
        this.driverVersionFile = driverVersionFile;
        this.smiCommand = smiCommand;
    }

    @Override
    public GpuSurvey survey() {
        String driver = readDriverVersion();
        if (driver == null) {
            return GpuSurvey.noDriver("no NVIDIA driver is loaded (" + driverVersionFile + " is missing)");
        }
        try {
            Process p = new ProcessBuilder(smiCommand).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new GpuSurvey(driver, List.of(), "nvidia-smi did not answer within 10 s");
            }
            if (p.exitValue() != 0) {
                return new GpuSurvey(driver, List.of(), "nvidia-smi failed: " + out.strip());
            }
            List<GpuInfo> gpus = parseSmi(out);
            return new GpuSurvey(driver, gpus, gpus.isEmpty() ? "the NVIDIA driver lists no GPU" : null);
        } catch (IOException e) {
            return new GpuSurvey(driver, List.of(), "nvidia-smi could not be run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GpuSurvey(driver, List.of(), "interrupted while asking nvidia-smi");
        }
    }

    private String readDriverVersion() {
        try {
            String text = Files.readString(driverVersionFile);
            Matcher m = DRIVER_VERSION.matcher(text);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses {@code nvidia-smi --query-gpu=index,name,compute_cap --format=csv,noheader} lines. */
    static List<GpuInfo> parseSmi(String out) {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : out.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 3) {
                continue;
            }
            try {
                int index = Integer.parseInt(f[0].trim());
                String name = f[1].trim();
                String[] cc = f[f.length - 1].trim().split("\\.");
                gpus.add(new GpuInfo(index, name, Integer.parseInt(cc[0]), cc.length > 1 ? Integer.parseInt(cc[1]) : 0));
            } catch (NumberFormatException e) {
                // a line that is not a GPU row (a warning from the driver): skip it
            }
        }
        return gpus;
    }
}
