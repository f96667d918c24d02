package dev.pelagos.image.layer;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a stored layer blob as an uncompressed tar stream. The compression is read from the
 * blob's magic bytes rather than trusted from the media type: archives label layers loosely.
 */
public final class LayerStreams {
    private static final int BUFFER = 1 << 16;

    private LayerStreams() {
    }

    public static InputStream openTar(Path blob) throws IOException {
        return decompress(Files.newInputStream(blob));
    }

    public static InputStream decompress(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new ZstdInputStream(in), BUFFER);
        }
        return in;
    }

    /** Whether a blob starts with gzip or zstd magic. */
    public static boolean isCompressed(Path blob) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            byte[] m = in.readNBytes(4);
            return (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b)
                    || (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5);
        }
    }
}
