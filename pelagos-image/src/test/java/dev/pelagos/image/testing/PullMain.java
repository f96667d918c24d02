package dev.pelagos.image.testing;

import dev.pelagos.image.ImagePuller;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.PullOptions;
import dev.pelagos.image.ref.Digest;
import java.nio.file.Path;

/**
 * A pull in its own JVM, for crash tests: {@code PullMain DATA REF STALL_AFTER_BYTES} prints
 * {@code STALLED} and blocks once a layer download passes the given size, so the test can SIGKILL
 * it at a known point.
 */
public final class PullMain {
    private PullMain() {
    }

    public static void main(String[] args) throws Exception {
        long stallAfter = Long.parseLong(args[2]);
        ProgressListener stall = new ProgressListener() {
            @Override
            public void layer(Digest digest, Phase phase, long done, long total) {
                if (phase == Phase.DOWNLOADING && done >= stallAfter) {
                    System.out.println("STALLED");
                    System.out.flush();
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        new ImagePuller(ImageStore.open(Path.of(args[0]))).pull(args[1], PullOptions.DEFAULT, stall);
        System.out.println("DONE");
    }
}
