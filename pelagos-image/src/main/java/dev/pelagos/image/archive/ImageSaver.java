package dev.pelagos.image.archive;

import dev.pelagos.image.ImageException;
import dev.pelagos.image.ImageStore;
import dev.pelagos.image.LocalImage;
import dev.pelagos.image.manifest.Descriptor;
import dev.pelagos.image.ref.Digest;
import dev.pelagos.image.store.ImageIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as an OCI image-layout tar ({@code oci-layout}, {@code index.json} naming each
 * image in {@code org.opencontainers.image.ref.name}, {@code blobs/sha256/...}), the format
 * {@code podman load}, {@code skopeo copy oci-archive:} and {@code umoci} read. Entries are
 * written in a fixed order with zero times, so saving twice gives identical bytes.
 */
public final class ImageSaver {
    private final ImageStore store;

    public ImageSaver(ImageStore store) {
        this.store = store;
    }

    /** Saves the named images; returns them as found in the store. */
    public List<LocalImage> save(List<String> refs, OutputStream out) throws ImageException {
        List<LocalImage> images = new ArrayList<>();
        List<Descriptor> entries = new ArrayList<>();
        Set<Digest> blobs = new LinkedHashSet<>();
        for (String ref : refs) {
            LocalImage image = store.get(ref);
            images.add(image);
            entries.add(Descriptor.of(image.manifest().mediaType(), image.digest(), image.manifest().raw().length)
                    .withAnnotations(Map.of(ImageIndex.REF_NAME, image.reference())));
            blobs.add(image.digest());
            blobs.add(image.manifest().config().digest());
            image.manifest().layers().forEach(l -> blobs.add(l.digest()));
        }
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            file(tar, "index.json", ImageIndex.toJson(entries).getBytes(StandardCharsets.UTF_8));
            dir(tar, "blobs/");
            dir(tar, "blobs/sha256/");
            for (Digest d : blobs) {
                Path p = store.blobs().path(d);
                if (!Files.isRegularFile(p)) {
                    throw ImageException.notFound("blob " + d + " is missing from the store",
                            "re-pull the image, then save again");
                }
                TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + d.hex());
                e.setSize(Files.size(p));
                e.setMode(0644);
                e.setLastModifiedTime(FileTime.fromMillis(0));
                tar.putArchiveEntry(e);
                try (InputStream in = Files.newInputStream(p)) {
                    in.transferTo(tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw ImageException.io("write the image archive", e);
        }
        return images;
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0644);
        e.setLastModifiedTime(FileTime.fromMillis(0));
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setLastModifiedTime(FileTime.fromMillis(0));
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }
}
