package org.recurrent4j.cuda;

/**
 * A kernel argument that points into device memory: {@code offset} floats into {@code buffer}, or the null pointer
 * ({@link #NULL}, buffer null) where a kernel takes an optional array.
 */
public record Ptr(DeviceBuffer buffer, long offset) {

    public static final Ptr NULL = new Ptr(null, 0);

    public boolean isNull() {
        return buffer == null;
    }

    /** The pointer {@code floats} further on. */
    public Ptr plus(long floats) {
        if (isNull()) {
            throw new IllegalStateException("no arithmetic on the null pointer");
        }
        return buffer.at(offset + floats);
    }
}
