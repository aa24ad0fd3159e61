package org.recurrent4j.io;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Checks an array in ND4J's binary format ({@code Nd4j.write}: the shape-information buffer, then the data buffer,
 * each as an allocation mode, a length, a data type and the values) against the bytes really there, before ND4J's
 * reader allocates what the header declares: a crafted header could declare terabytes. The shape must be that of a
 * dense array of the declared length, and the values must fill the rest of the bytes exactly.
 */
public final class Nd4jArrayFile {

    /** Bytes per element of the data types ND4J writes. */
    private static final Map<String, Integer> SIZES = Map.ofEntries(Map.entry("DOUBLE", 8), Map.entry("FLOAT", 4),
            Map.entry("HALF", 2), Map.entry("BFLOAT16", 2), Map.entry("LONG", 8), Map.entry("INT", 4),
            Map.entry("SHORT", 2), Map.entry("BYTE", 1), Map.entry("UBYTE", 1), Map.entry("BOOL", 1),
            Map.entry("UINT16", 2), Map.entry("UINT32", 4), Map.entry("UINT64", 8));
    private static final int MAX_RANK = 32;

    private Nd4jArrayFile() {
    }

    /** What a header declares: its own size in bytes, and the values that follow. */
    private record Header(long headerBytes, long length, int elementSize) {
        long totalBytes() {
            return headerBytes + length * elementSize;
        }
    }

    /**
     * @param bytes the array as written
     * @param what  the file and entry, for messages
     * @return the number of elements
     * @throws IOException naming {@code what} where the header does not describe the bytes
     */
    public static long check(byte[] bytes, String what) throws IOException {
        Header h = parse(bytes, what);
        if (h.totalBytes() != bytes.length) {
            throw new IOException(what + ": the header declares " + h.length() + " values, " + h.totalBytes()
                    + " bytes with the header, and the array has " + bytes.length + ": damaged, cut short or padded");
        }
        return h.length();
    }

    /**
     * The size in bytes of the whole array whose first bytes are {@code head} (at least its header), as its header
     * declares it: for a reader that stops taking bytes past it.
     *
     * @throws IOException naming {@code what} where the header is damaged or cut short
     */
    public static long declaredBytes(byte[] head, String what) throws IOException {
        return parse(head, what).totalBytes();
    }

    private static Header parse(byte[] bytes, String what) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long[] shapeInfo = longs(in, what, "shape information");
            long rank = shapeInfo.length >= 1 ? shapeInfo[0] : -1;
            if (rank < 0 || rank > MAX_RANK || shapeInfo.length != 2 * rank + 4) {
                throw new IOException(what + ": an array header with " + shapeInfo.length + " shape entries and rank "
                        + rank + ": damaged");
            }
            long elements = 1;
            for (int d = 1; d <= rank; d++) {
                if (shapeInfo[d] < 0 || (shapeInfo[d] > 0 && elements > Long.MAX_VALUE / shapeInfo[d])) {
                    throw new IOException(what + ": dimension " + shapeInfo[d] + " in an array header: damaged");
                }
                elements *= shapeInfo[d];
            }
            checkMode(in.readUTF(), what);
            long length = in.readLong();
            String type = in.readUTF();
            Integer size = SIZES.get(type);
            if (size == null) {
                throw new IOException(what + ": unknown data type '" + type + "' in an array header: damaged");
            }
            if (length != elements || length < 0 || length > (Long.MAX_VALUE - bytes.length) / size) {
                throw new IOException(what + ": the header declares " + length + " " + type.toLowerCase()
                        + " values for a shape of " + elements + " elements: damaged");
            }
            return new Header(bytes.length - in.available(), length, size);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new IOException(what + ": an array header cut short or damaged");
        }
    }

    private static long[] longs(DataInputStream in, String what, String part) throws IOException {
        checkMode(in.readUTF(), what);
        long n = in.readLong();
        String type = in.readUTF();
        if (!type.equals("LONG") || n < 0 || n > 2 * MAX_RANK + 4) {
            throw new IOException(what + ": the " + part + " of an array header is damaged (" + n + " values of type "
                    + type + ")");
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    private static void checkMode(String mode, String what) throws IOException {
        if (!mode.equals("MIXED_DATA_TYPES") && !mode.equals("LONG_SHAPE")) {
            throw new IOException(what + ": array header with allocation mode '" + mode + "': not written by this "
                    + "ND4J version, or damaged");
        }
    }
}
