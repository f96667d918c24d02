import dev.pelagos.image.ImagePuller;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.ProgressListener;
import dev.pelagos.image.PullOptions;
import java.nio.file.Path;

/** Benchmark driver: pull + unpack one image into a fresh store. Usage: PullBench DATA_DIR REFERENCE */
public final class PullBench {
    private PullBench() {
    }

    public static void main(String[] args) throws Exception {
        var result = new ImagePuller(ImageStore.open(Path.of(args[0]))).pull(args[1], PullOptions.DEFAULT, ProgressListener.NONE);
        if (result.image().layerDirs().isEmpty()) {
            throw new IllegalStateException("no layers");
        }
    }
}
