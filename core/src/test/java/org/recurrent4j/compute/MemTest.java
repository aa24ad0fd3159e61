package org.recurrent4j.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MemTest {

    /** A 7x5 matrix in {@code order}, as a view at an offset inside a larger allocation. */
    private static INDArray matrix(DataType dt, char order) {
        INDArray whole = Nd4j.linspace(1, 40 + 35, 40 + 35, dt).reshape(1, 75);
        return whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(40, 75)).reshape(order, 7, 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT c", "FLOAT f", "DOUBLE c", "DOUBLE f"})
    void readsAndWritesRowBlocksOfEitherLayout(String kind) {
        DataType dt = DataType.valueOf(kind.split(" ")[0]);
        INDArray m = matrix(dt, kind.charAt(kind.length() - 1));
        double[] rows = new double[3 * 5];
        Mem.readRows(m, 2, 3, rows);
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                assertEquals(m.getDouble(2 + r, c), rows[r * 5 + c], kind + " (" + r + "," + c + ")");
            }
        }
        double[] fresh = new double[3 * 5];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = -i;
        }
        INDArray before = m.dup();
        Mem.writeRows(m, 4, 3, fresh);
        for (int r = 0; r < 7; r++) {
            for (int c = 0; c < 5; c++) {
                double want = r >= 4 ? fresh[(r - 4) * 5 + c] : before.getDouble(r, c);
                assertEquals(want, m.getDouble(r, c), kind + " after write (" + r + "," + c + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'c', 'f'})
    void refusesRowsPastTheEnd(char order) {
        INDArray m = matrix(DataType.FLOAT, order);
        assertThrows(IndexOutOfBoundsException.class, () -> Mem.readRows(m, 5, 3, new double[15]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void addressIsWhereNd4jPointsForViewsAndStaysRightAsItsCacheTurnsOver(String type) {
        DataType dt = DataType.valueOf(type);
        INDArray whole = Nd4j.linspace(1, 75, 75, dt).reshape(1, 75);
        INDArray view = matrix(dt, 'f');
        java.util.List<INDArray> others = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {   // the cache keeps 16 buffers: 40 others push both out between rounds
            assertEquals(whole.data().addressPointer().address(), Mem.address(whole), type + " round " + round);
            assertEquals(view.data().addressPointer().address(), Mem.address(view), type + " view, round " + round);
            for (int k = 0; k < 40; k++) {
                INDArray other = Nd4j.create(dt, 3 + k);
                others.add(other);
                assertEquals(other.data().addressPointer().address(), Mem.address(other), type + " other " + k);
            }
        }
        // a view starts at its own first element, 40 elements into its allocation
        INDArray parent = Nd4j.linspace(1, 75, 75, dt).reshape(1, 75);
        INDArray tail = parent.get(NDArrayIndex.point(0), NDArrayIndex.interval(40, 75));
        assertEquals(Mem.address(parent) + 40L * dt.width(), Mem.address(tail), type + " view of a row");
    }
}
