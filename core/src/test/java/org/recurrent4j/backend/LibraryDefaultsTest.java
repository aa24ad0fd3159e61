package org.recurrent4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LibraryDefaultsTest {

    @Test
    void theUsersChoiceWinsAndTheCommandLinesChoiceIsTheDefault() {
        assertEquals(1, LibraryDefaults.decide(null, null, null, false, true, 2), "2 cores: one thread, as the CLI");
        assertEquals(0, LibraryDefaults.decide(null, null, null, false, true, 16), "16 cores: ND4J's default");
        assertEquals(3, LibraryDefaults.decide("3", "5", null, false, true, 2), "the property first");
        assertEquals(5, LibraryDefaults.decide(null, "5", null, false, true, 2), "then RECURRENT4J_THREADS");
        assertEquals(0, LibraryDefaults.decide(null, null, "4", false, true, 2), "OMP_NUM_THREADS set: untouched");
        assertEquals(0, LibraryDefaults.decide("nd4j", null, null, false, true, 2), "opted out");
        assertEquals(0, LibraryDefaults.decide(null, null, null, true, true, 2), "the command line chose already");
        assertEquals(0, LibraryDefaults.decide(null, null, null, false, false, 2), "not on ND4J's CPU backend");
        assertThrows(IllegalArgumentException.class, () -> LibraryDefaults.decide("many", null, null, false, true, 2));
    }
}
