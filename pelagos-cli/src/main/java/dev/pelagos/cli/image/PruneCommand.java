package dev.pelagos.cli.image;

import dev.pelagos.base.PelagosException;
import dev.pelagos.base.Sizes;
import dev.pelagos.cli.Cli;
import dev.pelagos.cli.Command;
import dev.pelagos.cli.args.Args;
import dev.pelagos.cli.args.Options;
import dev.pelagos.image.ImageStore;
import java.util.Set;

/**
 * {@code image prune [-a]}: unnamed images, then every blob and unpacked layer no image uses;
 * {@code -a} removes every image as well (layers a running container mounts stay readable: overlay
 * holds them open, but a later start of that container needs the image pulled again).
 */
final class PruneCommand implements Command {
    @Override
    public Options options() {
        return new Options().flag("-a, --all", "remove all images, not only unnamed ones")
                .flag("-f, --force", "do not ask (accepted for compatibility)");
    }

    @Override
    public String usage() {
        return "[-a] [-f]";
    }

    @Override
    public String summary() {
        return "Remove unused images, blobs and layers";
    }

    /** The images existing containers were made from: never pruned (Docker keeps them too). */
    static Set<String> imagesInUse(Cli cli) throws PelagosException {
        Set<String> keep = new java.util.HashSet<>();
        for (var c : new dev.pelagos.runtime.container.ContainerStore(cli.paths().runtime()).list()) {
            if (c.record().image() != null) {
                keep.add(c.record().image());
            }
        }
        return keep;
    }

    @Override
    public int run(Args a, Cli cli) throws PelagosException {
        a.atMost(0);
        ImageStore.PruneResult r = ImageCommands.store(cli).prune(a.has("all"), imagesInUse(cli));
        r.images().forEach(n -> cli.out().println("Removed image: " + n));
        cli.out().println("Removed " + r.blobs() + " blobs and " + r.layers() + " layers, reclaimed " + Sizes.human(r.bytes()));
        return 0;
    }
}
