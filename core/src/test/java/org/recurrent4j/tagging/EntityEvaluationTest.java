package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Against counts worked out by hand the way conlleval counts. */
class EntityEvaluationTest {

    @Test
    void spansCountOnlyWithExactBoundariesAndType() {
        EntityEvaluation e = new EntityEvaluation();
        // gold: ORG[0,2) FRUIT[3,4); predicted: ORG[0,1) (wrong boundary) FRUIT[3,4) (right)
        e.add(List.of("B-ORG", "I-ORG", "O", "B-FRUIT"), List.of("B-ORG", "O", "O", "B-FRUIT"));
        // gold: ORG[1,2); predicted: FRUIT[1,2) (wrong type), ORG[2,3) (spurious)
        e.add(List.of("O", "B-ORG", "O"), List.of("O", "B-FRUIT", "B-ORG"));
        // gold: FRUIT[0,1), nothing predicted
        e.add(List.of("B-FRUIT", "O"), List.of("O", "O"));

        assertEquals(new EntityEvaluation.Counts(0, 2, 2), e.perType().get("ORG"));
        assertEquals(new EntityEvaluation.Counts(1, 2, 2), e.perType().get("FRUIT"));
        EntityEvaluation.Counts all = e.micro();
        assertEquals(new EntityEvaluation.Counts(1, 4, 4), all);
        assertEquals(0.25, all.precision(), 1e-12);
        assertEquals(0.25, all.recall(), 1e-12);
        assertEquals(0.25, all.f1(), 1e-12);
        assertEquals(0.5, e.perType().get("FRUIT").f1(), 1e-12);
        // tokens: 4 + 3 + 2 = 9; correct: [B-ORG, O(wrong), O, B-FRUIT] 3, [O, wrong, wrong] 1, [wrong, O] 1
        assertEquals(5.0 / 9.0, e.tokenAccuracy(), 1e-12);
    }

    @Test
    void jsonHasTheDocumentedFields() {
        EntityEvaluation e = new EntityEvaluation();
        e.add(List.of("B-ORG", "O"), List.of("B-ORG", "O"));
        String json = e.toJson();
        assertTrue(json.startsWith("{\"token_accuracy\":1.0,\"precision\":1.0,\"recall\":1.0,"
                + "\"f1\":1.0,\"per_type\":{\"ORG\":{"), json);
    }

    @Test
    void jsonStaysValidWhateverTheLabelsHold() throws Exception {
        EntityEvaluation e = new EntityEvaluation();
        String odd = "A\"B\\C\u00e9\n";
        e.add(List.of("B-" + odd, "O"), List.of("B-" + odd, "O"));
        java.util.Map<?, ?> m = new org.nd4j.shade.jackson.databind.ObjectMapper().readValue(e.toJson(),
                java.util.Map.class);
        assertTrue(((java.util.Map<?, ?>) m.get("per_type")).containsKey(odd), e.toJson());
    }

    @Test
    void nothingPredictedAndNothingGoldGivesZeroNotNaN() {
        EntityEvaluation e = new EntityEvaluation();
        e.add(List.of("O"), List.of("O"));
        assertEquals(0.0, e.micro().f1());
    }
}
