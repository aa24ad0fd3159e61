package org.recurrent4j.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TorchImporterErrorTest {

    @TempDir
    Path dir;

    static Map<String, INDArray> lstm(int hidden, int nIn) {
        Map<String, INDArray> m = new TreeMap<>();
        m.put("weight_ih_l0", Nd4j.rand(DataType.FLOAT, 4L * hidden, nIn));
        m.put("weight_hh_l0", Nd4j.rand(DataType.FLOAT, 4L * hidden, hidden));
        m.put("bias_ih_l0", Nd4j.rand(DataType.FLOAT, 4L * hidden));
        m.put("bias_hh_l0", Nd4j.rand(DataType.FLOAT, 4L * hidden));
        return m;
    }

    static String error(Map<String, INDArray> state, TorchMode mode) {
        return assertThrows(IllegalArgumentException.class,
                () -> TorchImporter.importStateDict(state, mode, "state.npz")).getMessage();
    }

    @Test
    void aMissingKeyIsNamed() {
        Map<String, INDArray> s = lstm(3, 2);
        s.remove("weight_hh_l0");
        String msg = error(s, TorchMode.LSTM);
        assertTrue(msg.startsWith("state.npz: ") && msg.contains("weight_ih_l0"), msg);
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheKey() {
        Map<String, INDArray> s = lstm(3, 2);
        s.get("bias_hh_l0").putScalar(5, Float.NaN);
        String msg = error(s, TorchMode.LSTM);
        assertTrue(msg.contains("'bias_hh_l0' holds NaN (element 5)"), msg);
        s = lstm(3, 2);
        s.get("weight_ih_l0").putScalar(0, 1, Float.POSITIVE_INFINITY);
        msg = error(s, TorchMode.LSTM);
        assertTrue(msg.contains("'weight_ih_l0' holds Infinity"), msg);
    }

    @Test
    void aMisShapedKeyIsNamedWithItsShape() {
        Map<String, INDArray> s = lstm(3, 2);
        s.put("weight_hh_l0", Nd4j.rand(DataType.FLOAT, 12, 4));
        String msg = error(s, TorchMode.LSTM);
        assertTrue(msg.contains("'weight_hh_l0' has shape [12, 4], expected [12, 3]"), msg);
    }

    @Test
    void theWrongModeIsCaughtByTheGateCount() {
        String msg = error(lstm(3, 2), TorchMode.GRU);
        assertTrue(msg.contains("'weight_hh_l0' has shape [12, 3]") || msg.contains("weight_ih_l0 has shape"), msg);
    }

    @Test
    void projectionWeightsAreCheckedAgainstTheOtherKeys() {
        // proj_size 2 makes weight_hh [4*3, 2]; these were saved without projection
        Map<String, INDArray> s = lstm(3, 2);
        s.put("weight_hr_l0", Nd4j.rand(DataType.FLOAT, 2, 3));
        String msg = error(s, TorchMode.LSTM);
        assertTrue(msg.contains("'weight_hh_l0' has shape [12, 3], expected [12, 2]"), msg);
        // a projection of the wrong hidden size
        Map<String, INDArray> t = lstm(3, 2);
        t.put("weight_hh_l0", Nd4j.rand(DataType.FLOAT, 12, 2));
        t.put("weight_hr_l0", Nd4j.rand(DataType.FLOAT, 2, 5));
        msg = error(t, TorchMode.LSTM);
        assertTrue(msg.contains("'weight_hr_l0' has shape [2, 5], expected [proj_size, hidden] = [P, 3]"), msg);
        // proj_size must be below hidden: a transposed weight_hr is named with its shape
        Map<String, INDArray> u = lstm(3, 2);
        u.put("weight_hh_l0", Nd4j.rand(DataType.FLOAT, 12, 2));
        u.put("weight_hr_l0", Nd4j.rand(DataType.FLOAT, 3, 2));
        msg = error(u, TorchMode.LSTM);
        assertTrue(msg.contains("'weight_hr_l0' has shape [3, 2], expected [proj_size, hidden] = [P, 3] with 0 < P < 3"),
                msg);
        // a layer or direction without its weight_hr is named
        Map<String, INDArray> v = new TreeMap<>(t);
        v.put("weight_hr_l0", Nd4j.rand(DataType.FLOAT, 2, 3));
        for (String k : List.copyOf(v.keySet())) {
            v.put(k + "_reverse", v.get(k));
        }
        v.remove("weight_hr_l0_reverse");
        msg = error(v, TorchMode.LSTM);
        assertTrue(msg.contains("missing key 'weight_hr_l0_reverse'") && msg.contains("proj_size"), msg);
        // weight_hh saved with proj_size but every weight_hr left out
        Map<String, INDArray> x = lstm(3, 2);
        x.put("weight_hh_l0", Nd4j.rand(DataType.FLOAT, 12, 2));
        msg = error(x, TorchMode.LSTM);
        assertTrue(msg.contains("proj_size 2") && msg.contains("weight_hr_l* keys are missing"), msg);
        // only an LSTM has one
        msg = error(s, TorchMode.GRU);
        assertTrue(msg.contains("'weight_hr_l0'") && msg.contains("proj_size") && msg.contains("mode LSTM"), msg);
    }

    @Test
    void anUnknownKeyIsNamed() {
        Map<String, INDArray> s = lstm(3, 2);
        s.put("fc.weight", Nd4j.rand(DataType.FLOAT, 2, 3));
        assertTrue(error(s, TorchMode.LSTM).contains("unexpected key 'fc.weight'"));
    }

    @Test
    void noFileIsLeftWhenTheImportFails() throws Exception {
        Path npz = dir.resolve("broken.npz");
        Files.writeString(npz, "not a zip");
        Path out = dir.resolve("model.zip");
        assertThrows(java.io.IOException.class, () -> TorchImporter.importToFile(npz, TorchMode.LSTM, out));
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.allMatch(p -> p.equals(npz)), "a temporary file was left behind");
        }
    }
}
