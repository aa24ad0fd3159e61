package org.recurrent4j.backend;

import java.util.List;

/**
 * What this machine offers a CUDA path: an NVIDIA driver, and the GPUs it sees.
 *
 * @param driverVersion the NVIDIA driver's version, or null where no driver is loaded
 * @param gpus          the GPUs the driver lists (empty without a driver)
 * @param problem       why the GPUs could not be listed, or null
 */
public record GpuSurvey(String driverVersion, List<GpuInfo> gpus, String problem) {

    public GpuSurvey {
        gpus = List.copyOf(gpus);
    }

    public static GpuSurvey noDriver(String why) {
        return new GpuSurvey(null, List.of(), why);
    }

    public boolean hasDriver() {
        return driverVersion != null;
    }
}
