package org.recurrent4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The .npz reader on arrays written byte by byte as NumPy's format describes them. */
class NpzTest {

    @TempDir
    Path dir;

    /** A version 1.0 .npy: magic, version, header length, the header padded to 64 bytes, then {@code data}. */
    static byte[] npy(String header, byte[] data) {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        b.put(h.toString().getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    Path npz(String name, byte[] npy) throws IOException {
        Path f = dir.resolve(name + ".npz");
        try (OutputStream o = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("a.npy"));
            z.write(npy);
            z.closeEntry();
        }
        return f;
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void readsCAndFortranOrder() throws IOException {
        byte[] data = floats(1, 2, 3, 4, 5, 6);
        Map<String, INDArray> c = Npz.read(npz("c", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                data)));
        assertEquals(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {4, 5, 6}}), c.get("a"));
        Map<String, INDArray> f = Npz.read(npz("f", npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                data)));
        assertEquals(Nd4j.createFromArray(new float[][]{{1, 3, 5}, {2, 4, 6}}), f.get("a"));
    }

    @Test
    void whatIsWrongIsNamed() throws IOException {
        Map<String, String> bad = Map.of(
                "{'descr': '|O', 'fortran_order': False, 'shape': (2, 3), }", "data type '|O'",
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", "data type '>f4'",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4), }", "shape [2, 4]",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", "is too large",
                "{'fortran_order': False, 'shape': (2, 3), }", "without descr");
        int i = 0;
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Path f = npz("bad" + i++, npy(e.getKey(), floats(1, 2, 3, 4, 5, 6)));
            IOException x = assertThrows(IOException.class, () -> Npz.read(f));
            assertTrue(x.getMessage().startsWith(f + "!a.npy: ") && x.getMessage().contains(e.getValue())
                    && !x.getMessage().contains("\n"), x.getMessage());
        }
    }
}
