package dev.pelagos.image.layer;

import dev.pelagos.sys.FileOps;
import dev.pelagos.image.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks one layer tar into an empty directory as an overlayfs lower layer: whiteouts
 * ({@code .wh.NAME}) become 0:0 character devices, opaque markers ({@code .wh..wh..opq}) become
 * {@code trusted.overlay.opaque=y}; modes (with setuid/setgid/sticky), ownership, times, xattrs,
 * hard links, symlinks, devices and FIFOs are kept.
 *
 * <p>It never writes outside the target (SECURITY §2, image side): names with {@code ..} are
 * refused, parents are resolved by {@link ConfinedPath}, an existing symlink at an entry's place is
 * replaced and never written through, hard links must point at a non-directory inside the
 * target, and metadata is applied with no-follow calls (never through a link).
 */
public final class LayerExtractor {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path root;
    private final ConfinedPath resolver;
    private final boolean keepOwnership;
    /** Directory times and modes are set last: adding entries changes them, a read-only dir blocks them. */
    private final List<DeferredDir> dirs = new ArrayList<>();

    private record DeferredDir(Path path, int mode, FileTime mtime) {
    }

    public LayerExtractor(Path root) {
        this(root, ROOT);
    }

    /** @param keepOwnership apply the archive's uid/gid (needs root; rootless keeps the caller's) */
    public LayerExtractor(Path root, boolean keepOwnership) {
        this.root = root;
        this.resolver = new ConfinedPath(root);
        this.keepOwnership = keepOwnership;
    }

    /** Extracts every entry of an uncompressed tar stream. The stream is not closed. */
    public void extract(InputStream tar) throws ImageException, IOException {
        TarArchiveInputStream in = new TarArchiveInputStream(new NonClosing(tar), StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        try {
            while ((e = in.getNextEntry()) != null) {
                apply(e, in);
            }
        } catch (ConfinedPath.NotADirectoryException ex) {
            throw new InvalidArchiveException(ex.getMessage().replace(root.toString(), ""), "needs a directory there");
        } catch (IllegalArgumentException ex) {
            // commons-compress reports corrupt headers this way
            throw new InvalidArchiveException("?", "is corrupt: " + ex.getMessage());
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            DeferredDir d = dirs.get(i);
            Files.setAttribute(d.path(), "unix:mode", d.mode(), LinkOption.NOFOLLOW_LINKS);
            setTimes(d.path(), d.mtime());
        }
    }

    private void apply(TarArchiveEntry e, TarArchiveInputStream in) throws ImageException, IOException {
        String name = e.getName();
        List<String> parts = ConfinedPath.components(name);
        if (parts == null) {
            throw new InvalidArchiveException(name, "contains '..'");
        }
        if (parts.isEmpty()) {
            if (e.isSymbolicLink() || e.isLink() || !e.isDirectory()) {
                throw new InvalidArchiveException(name, "would replace the layer root");
            }
            return; // "./" itself: the root stays as created
        }
        String base = parts.getLast();
        List<String> parentParts = parts.subList(0, parts.size() - 1);
        if (base.startsWith(WHITEOUT)) {
            whiteout(name, base, parentParts);
            return;
        }
        Path parent = resolver.directory(parentParts, true);
        Path target = parent.resolve(base);
        BasicFileAttributes existing = ConfinedPath.attributes(target);
        boolean directory = e.isDirectory() && !e.isSymbolicLink() && !e.isLink();
        if (existing != null && !(directory && existing.isDirectory())) {
            removeExisting(target, existing);
        }
        if (directory) {
            if (existing == null || !existing.isDirectory()) {
                Files.createDirectory(target);
            }
            owner(target, e);
            xattrs(target, e);
            dirs.add(new DeferredDir(target, e.getMode() & 07777, e.getLastModifiedTime()));
            return;
        }
        if (e.isSymbolicLink()) {
            if (e.getLinkName().isEmpty()) {
                throw new InvalidArchiveException(name, "is a symlink with an empty target");
            }
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
        } else if (e.isLink()) {
            hardLink(name, target, e.getLinkName());
            return; // the link shares its target's inode: never chmod/chown through it
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            int type = e.isFIFO() ? FileOps.S_IFIFO : e.isCharacterDevice() ? FileOps.S_IFCHR : FileOps.S_IFBLK;
            FileOps.mknod(target, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
        } else if (isRegular(e)) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(out);
            }
        } else {
            return; // tar extensions with no file (global headers etc.)
        }
        owner(target, e);
        if (isRegular(e)) {
            Files.setAttribute(target, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
        } else if (!e.isSymbolicLink()) {
            // the no-follow variant opens the file, which blocks on a FIFO; this node was just made by
            // mknod in a confined private directory, so chmod by path cannot be redirected
            FileOps.chmod(target, e.getMode() & 07777);
        }
        xattrs(target, e);
        if (isRegular(e) || e.isSymbolicLink()) {
            setTimes(target, e.getLastModifiedTime()); // the JDK opens the file for this: not for FIFOs and devices
        }
    }

    /** commons-compress calls FIFOs and devices "files" too; only these flags are regular files. */
    private static boolean isRegular(TarArchiveEntry e) {
        byte f = e.getLinkFlag();
        return f == TarConstants.LF_NORMAL || f == TarConstants.LF_OLDNORM || f == TarConstants.LF_CONTIG;
    }

    /** {@code .wh.NAME}: mark NAME deleted; {@code .wh..wh..opq}: hide the lower layers' copy of the directory. */
    private void whiteout(String name, String base, List<String> parentParts) throws ImageException, IOException {
        Path parent = resolver.directory(parentParts, true);
        if (base.equals(OPAQUE)) {
            FileOps.lsetxattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.startsWith(WHITEOUT)) {
            if (hidden.startsWith(".wh.plnk") || hidden.startsWith(".wh.aufs")) {
                return; // aufs bookkeeping, meaningless to overlayfs
            }
            throw new InvalidArchiveException(name, "is an unknown whiteout");
        }
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new InvalidArchiveException(name, "is a whiteout of an invalid name");
        }
        Path target = parent.resolve(hidden);
        BasicFileAttributes existing = ConfinedPath.attributes(target);
        if (existing != null) {
            removeExisting(target, existing);
        }
        FileOps.mknod(target, FileOps.S_IFCHR, 0, 0);
    }

    private void hardLink(String name, Path link, String linkName) throws ImageException, IOException {
        List<String> parts = ConfinedPath.components(linkName);
        if (parts == null || parts.isEmpty()) {
            throw new InvalidArchiveException(name, "is a hard link to an invalid target '" + linkName + "'");
        }
        Path dir = resolver.directory(parts.subList(0, parts.size() - 1), false);
        Path target = dir == null ? null : dir.resolve(parts.getLast());
        BasicFileAttributes a = target == null ? null : ConfinedPath.attributes(target);
        if (a == null) {
            throw new InvalidArchiveException(name, "is a hard link to '" + linkName + "', which is not in the layer");
        }
        if (a.isDirectory()) {
            throw new InvalidArchiveException(name, "is a hard link to a directory");
        }
        // link(2) on Linux does not follow a symlink given as the existing path
        Files.createLink(link, target);
    }

    private static void removeExisting(Path target, BasicFileAttributes existing) throws IOException {
        if (existing.isDirectory()) {
            dev.pelagos.image.store.LayerStore.deleteTree(target);
        } else {
            Files.delete(target); // a symlink is removed itself, never followed
        }
    }

    private void owner(Path target, TarArchiveEntry e) throws IOException {
        if (keepOwnership) {
            Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void xattrs(Path target, TarArchiveEntry e) throws IOException {
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            if (key.startsWith("SCHILY.xattr.")) {
                String attr = key.substring("SCHILY.xattr.".length());
                if (attr.startsWith("trusted.overlay.")) {
                    continue; // would forge overlay metadata (whiteouts, redirects) in the lower dir
                }
                byte[] value = h.getValue().getBytes(StandardCharsets.ISO_8859_1);
                try {
                    FileOps.lsetxattr(target, attr, value);
                } catch (FileOps.NativeIOException ex) {
                    if (ex.errno != 95 && !(ex.errno == FileOps.EPERM && !ROOT)) {
                        throw ex;
                    }
                    // filesystem without xattrs, or a privileged namespace when rootless: skip as tar does
                }
            }
        }
    }

    private static void setTimes(Path p, FileTime mtime) throws IOException {
        if (mtime != null) {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(mtime, mtime, null);
        }
    }

    /** Keeps the tar reader from closing the caller's stream (which still hashes trailing padding). */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
