package org.recurrent4j.backend;

/**
 * One NVIDIA GPU as the driver reports it.
 *
 * @param index    the driver's device index
 * @param name     for example {@code NVIDIA H100 80GB HBM3}
 * @param ccMajor  compute capability, major part (9 for Hopper)
 * @param ccMinor  compute capability, minor part
 */
public record GpuInfo(int index, String name, int ccMajor, int ccMinor) {

    /** {@code sm_90} for compute capability 9.0. */
    public String smArch() {
        return "sm_" + ccMajor + ccMinor;
    }

    /** Compute capability as one comparable number: 9.0 is 90, 8.6 is 86. */
    public int ccNumber() {
        return ccMajor * 10 + ccMinor;
    }

    @Override
    public String toString() {
        return name + " (" + smArch() + ")";
    }
}
