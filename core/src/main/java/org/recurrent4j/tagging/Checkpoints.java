package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of training checkpoints: each a complete model file (network with optimizer state, vocabularies,
 * settings) plus the training state, written atomically, the newest few kept. Resuming takes the newest checkpoint
 * that loads, skipping damaged ones.
 */
public final class Checkpoints {

    /** The training state, JSON ({@link TrainingState}). */
    static final String STATE = "training-state.json";
    /** The best parameters so far, in ND4J's binary format. */
    static final String BEST_PARAMS = "best-params.bin";
    /** Where versions before 2026-12 kept a Java-serialized training state, which is no longer read. */
    static final String OLD_STATE = "training-state.ser";
    private static final Pattern NAME = Pattern.compile("checkpoint-e(\\d+)-b(\\d+)\\.zip");

    private final Path dir;
    private final int keep;

    /**
     * A checkpoint that loaded, and the ones skipped on the way to it: their names with the reasons, and the files
     * (for {@link #setAside}).
     */
    record Loaded(Path file, Tagger tagger, TrainingState state, List<String> skipped, List<Path> skippedFiles) {
    }

    public Checkpoints(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a checkpoint and deletes all but the newest {@code keep}. */
    Path write(Tagger tagger, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(String.format("checkpoint-e%04d-b%07d.zip", state.epoch, state.position));
        Map<String, byte[]> extra = new java.util.LinkedHashMap<>();
        extra.put(STATE, state.toJson());
        byte[] best = state.bestParamsBytes();
        if (best != null) {
            extra.put(BEST_PARAMS, best);
        }
        tagger.save(file, extra);
        List<Path> all = list();
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /** Checkpoint files, newest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
    }

    /**
     * The newest checkpoint that loads and fits training data of {@code batches} batches, or null where the directory
     * has none at all. Damaged, cut short, crafted or foreign checkpoints are skipped, each with the reason.
     *
     * @throws NoValidCheckpointException where there are checkpoints and none of them is valid
     */
    Loaded newest(int batches) throws IOException {
        List<String> skipped = new ArrayList<>();
        List<Path> skippedFiles = new ArrayList<>();
        for (Path p : list()) {
            try {
                Map<String, byte[]> extra = new HashMap<>();
                Tagger t = Tagger.load(p, extra);
                byte[] state = extra.get(STATE);
                if (state == null) {
                    throw new IOException(extra.containsKey(OLD_STATE) ? p + " was written by an earlier recurrent4j "
                            + "(a Java-serialized training state, which is no longer read)" : p + " has no training "
                            + "state");
                }
                TrainingState st = TrainingState.read(state, extra.get(BEST_PARAMS), p.toString(), batches,
                        t.network().numParams());
                return new Loaded(p, t, st, skipped, skippedFiles);
            } catch (IOException | RuntimeException e) {
                skipped.add(p.getFileName() + " (" + oneLine(e.getMessage()) + ")");
                skippedFiles.add(p);
            }
        }
        if (!skipped.isEmpty()) {
            throw new NoValidCheckpointException("no checkpoint in " + dir + " can be resumed from: " + skipped
                    + ". Start training afresh: without --resume, or with --fresh-if-invalid (the invalid files are "
                    + "kept, renamed *.invalid)", skippedFiles);
        }
        return null;
    }

    /**
     * Renames checkpoints that could not be resumed from to {@code NAME.invalid} (or {@code NAME.invalid.K}), so that
     * the run going on neither writes over them nor takes them up at its next resume.
     *
     * @return the new names
     */
    List<Path> setAside(List<Path> invalid) throws IOException {
        List<Path> moved = new ArrayList<>();
        for (Path p : invalid) {
            Path to = p.resolveSibling(p.getFileName() + ".invalid");
            for (int k = 2; Files.exists(to); k++) {
                to = p.resolveSibling(p.getFileName() + ".invalid." + k);
            }
            Files.move(p, to);
            moved.add(to);
        }
        return moved;
    }

    /** The first line of a message, at most 300 characters: a reason fit for one log line. */
    static String oneLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** Thrown by {@link #newest} where checkpoints exist and none is valid. */
    public static final class NoValidCheckpointException extends IOException {
        private final List<Path> invalid;

        NoValidCheckpointException(String message, List<Path> invalid) {
            super(message);
            this.invalid = List.copyOf(invalid);
        }

        /** The checkpoints that were tried. */
        public List<Path> invalid() {
            return invalid;
        }
    }
}
