package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.tagging.Checkpoints;
import org.recurrent4j.tagging.Tagger;

/** A training JVM killed with SIGKILL mid-run, then resumed, ends where an uninterrupted run ends. */
class CheckpointResumeTest {

    @TempDir
    static Path dir;
    static Path reference;

    static List<String> trainArgs(Path model, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--train", dir.resolve("train.conll").toString(),
                "--dev", dir.resolve("dev.conll").toString(), "--model", model.toString(), "--hidden", "16",
                "--epochs", "4", "--patience", "10", "--batch", "16", "--seed", "3", "--backend", "cpu"));
        a.addAll(List.of(more));
        return a;
    }

    @BeforeAll
    static void referenceRun() {
        assertEquals(0, CliTest.run("data", "apple", "--out", dir.toString()).code());
        reference = dir.resolve("reference.zip");
        CliTest.Run r = CliTest.run(trainArgs(reference).toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
    }

    static Process child(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
    }

    static void awaitCheckpoint(Path ckpt, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (new Checkpoints(ckpt, 3).list().isEmpty()) {
            assertTrue(p.isAlive(), "the child ended before writing a checkpoint");
            assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
            Thread.sleep(50);
        }
    }

    @Test
    void killedWithSigkillAndResumedEndsLikeTheUninterruptedRun() throws Exception {
        Path ckpt = dir.resolve("ckpt-kill");
        Path model = dir.resolve("resumed.zip");
        Process p = child(trainArgs(model, "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "0.003"));
        awaitCheckpoint(ckpt, p);
        Thread.sleep(700);   // somewhere in the middle of training, perhaps in the middle of a write
        p.destroyForcibly();   // SIGKILL
        p.waitFor();
        assertFalse(Files.exists(model), "the killed run must not have finished");

        CliTest.Run r = CliTest.run(trainArgs(model, "--checkpoint-dir", ckpt.toString(), "--resume")
                .toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed from epoch "), r.out());
        INDArray expected = Tagger.load(reference).network().params();
        INDArray actual = Tagger.load(model).network().params();
        assertTrue(expected.equalsWithEps(actual, 1e-5), "resumed training diverged from the uninterrupted run");
    }

    /**
     * True where this process ignores SIGINT, and so will its children: a non-interactive shell starts background
     * jobs ({@code cmd &}) that way, and a JVM keeps it. There Ctrl-C cannot reach the trainer, by design of the shell.
     */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;   // signal 2
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: assume signals arrive
        }
        return false;
    }

    @Test
    void ctrlCSavesACheckpointAndExitsCleanlyAndADamagedNewestIsSkipped() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (a background job of a non-interactive shell) "
                + "and would be in the trainer: run the tests in the foreground to test Ctrl-C");
        Path ckpt = dir.resolve("ckpt-int");
        Path model = dir.resolve("interrupted.zip");
        // asked for many epochs and patience, so that the signal cannot come after the end (the reference's 4 epochs
        // take 2-3 s); it comes within the first of them, and the resumed run below stops after 4 like the reference
        List<String> longRun = trainArgs(model, "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "0.003");
        longRun.set(longRun.indexOf("--epochs") + 1, "1000");
        longRun.set(longRun.indexOf("--patience") + 1, "1000");
        Process p = child(longRun);
        awaitCheckpoint(ckpt, p);
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not stop after SIGINT");
        assertEquals(130, p.exitValue());
        assertFalse(Files.exists(model));
        List<Path> files = new Checkpoints(ckpt, 3).list();
        assertFalse(files.isEmpty());

        if (files.size() >= 2) {
            Files.writeString(files.get(0), "damaged");   // the newest: a resume must fall back to the next
        }
        CliTest.Run r = CliTest.run(trainArgs(model, "--checkpoint-dir", ckpt.toString(), "--resume")
                .toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed from epoch "), r.out());
        if (files.size() >= 2) {
            assertTrue(r.out().contains("skipped checkpoint " + files.get(0).getFileName()), r.out());
        }
        assertTrue(Tagger.load(reference).network().params().equalsWithEps(Tagger.load(model).network().params(),
                1e-5));
        assertTrue(new File(model.toString()).length() > 0);
    }
}
