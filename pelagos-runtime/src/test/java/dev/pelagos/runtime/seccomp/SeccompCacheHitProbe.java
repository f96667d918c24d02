package dev.pelagos.runtime.seccomp;

import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link SeccompStartPathTest}: gets the default filter the way a container
 * start does and prints how long that took and how big the program is.
 */
public final class SeccompCacheHitProbe {
    private SeccompCacheHitProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path cacheDir = Path.of(args[0]);
        long caps = Long.parseUnsignedLong(args[1], 16);
        long start = System.nanoTime();
        byte[] bpf = SeccompFilters.forContainer(SeccompChoice.DEFAULT, caps, cacheDir).orElseThrow();
        long micros = (System.nanoTime() - start) / 1000;
        System.out.println("probe bpf-bytes=" + bpf.length + " micros=" + micros);
    }
}
