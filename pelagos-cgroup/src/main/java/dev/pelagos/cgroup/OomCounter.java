package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the kernel's count of OOM kills in a cgroup: the {@code oom_kill} line of v2's
 * memory.events or v1's memory.oom_control. The helper process reads these files after the
 * container exits and before the cgroup is removed; the runtime parses what it reports with
 * {@link #parse}.
 */
public final class OomCounter {
    private OomCounter() {
    }

    /** The oom_kill count in a memory.events / memory.oom_control text; 0 when the line is absent. */
    public static long parse(String content) {
        for (String line : content.split("\n")) {
            String[] kv = line.strip().split("\\s+");
            if (kv.length == 2 && kv[0].equals("oom_kill")) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The count in one counter file; 0 when the file is gone. */
    public static long read(Path file) throws PelagosException {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw PelagosException.io("cannot read " + file, e);
        }
    }
}
