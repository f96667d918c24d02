package dev.pelagos.runtime.launch;

import dev.pelagos.base.PelagosException;

/** Splits mount(8)-style tmpfs options into mount flags and filesystem data, with Docker's defaults. */
public record TmpfsOptions(long flags, String data) {

    /** Docker's --tmpfs default: noexec, nosuid, nodev; size left to the kernel unless given. */
    public static TmpfsOptions parse(String target, String options) throws PelagosException {
        long flags = Linux.MS_NOEXEC | Linux.MS_NOSUID | Linux.MS_NODEV;
        StringBuilder data = new StringBuilder();
        if (options != null && !options.isEmpty()) {
            for (String o : options.split(",")) {
                switch (o) {
                    case "ro" -> flags |= Linux.MS_RDONLY;
                    case "rw" -> flags &= ~Linux.MS_RDONLY;
                    case "exec" -> flags &= ~Linux.MS_NOEXEC;
                    case "noexec" -> flags |= Linux.MS_NOEXEC;
                    case "suid" -> flags &= ~Linux.MS_NOSUID;
                    case "nosuid" -> flags |= Linux.MS_NOSUID;
                    case "dev" -> flags &= ~Linux.MS_NODEV;
                    case "nodev" -> flags |= Linux.MS_NODEV;
                    case "noatime" -> flags |= Linux.MS_NOATIME;
                    case "relatime", "strictatime", "" -> { }
                    default -> {
                        if (!o.matches("(size|mode|uid|gid|nr_inodes|nr_blocks)=[0-9a-zA-Z%]+")) {
                            throw PelagosException.invalid("invalid --tmpfs option '" + o + "' for " + target,
                                    "use ro, rw, exec, noexec, suid, nosuid, dev, nodev, size=N, mode=OCTAL, uid=N, gid=N");
                        }
                        if (!data.isEmpty()) {
                            data.append(',');
                        }
                        data.append(o);
                    }
                }
            }
        }
        return new TmpfsOptions(flags, data.toString());
    }
}
