package org.recurrent4j.cuda;

/** Device memory from {@link Device#alloc}, freed by {@link #close}. */
public interface DeviceBuffer extends AutoCloseable {

    /** Its size in floats. */
    long floats();

    /** A pointer {@code offset} floats into the buffer. */
    default Ptr at(long offset) {
        if (offset < 0 || offset > floats()) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a buffer of " + floats() + " floats");
        }
        return new Ptr(this, offset);
    }

    @Override
    void close();
}
