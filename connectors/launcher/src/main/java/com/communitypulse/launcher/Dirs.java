package com.communitypulse.launcher;

import java.nio.file.Path;
import org.apache.commons.io.FileUtils;

/** Working directories of child processes and runs. */
public final class Dirs {

    private Dirs() {
    }

    /**
     * Deletes {@code dir} and everything below it, best effort: a temp directory left behind is
     * harmless, and a run must not fail on its cleanup. Symbolic links are removed, not followed.
     */
    public static void deleteQuietly(Path dir) {
        if (dir != null) {
            FileUtils.deleteQuietly(dir.toFile());
        }
    }
}
