/**
 * Container cgroups: the v2 driver (primary) and the v1 driver (v1 and hybrid hosts), limits,
 * OOM reporting and stats. Depends only on pelagos-base and the JDK; never forks, never prints.
 *
 * <p>How the runtime uses it (the JVM never forks; the C helper starts the container):
 * <ol>
 *   <li>{@link dev.pelagos.cgroup.CgroupDriver#detect()} once per command; {@code pelagos info}
 *       shows what it found.</li>
 *   <li>Limits: {@link dev.pelagos.cgroup.ResourceFlags} for {@code run}/{@code create}/compose
 *       flags ({@code build(driver)} adds Podman's default pids limit of 2048 where the pids
 *       controller exists), or {@link dev.pelagos.cgroup.Resources#builder()} for OCI
 *       {@code linux.resources} (only what the bundle says).</li>
 *   <li>{@link dev.pelagos.cgroup.CgroupDriver#create} with
 *       {@link dev.pelagos.cgroup.CgroupPath#forContainer}{@code (cgroupParent, id)}: the cgroup exists
 *       with its limits before the process does; a failure leaves nothing behind. On v1 it has a
 *       directory in every mounted hierarchy (named ones and a hybrid host's cgroup2 too), so no
 *       process of it stays in the caller's cgroups. {@link dev.pelagos.cgroup.CgroupDriver#join}
 *       completes a cgroup the caller prepared (OCI {@code cgroupsPath}).</li>
 *   <li>Hand the helper {@link dev.pelagos.cgroup.Cgroup#procsFiles()} (write the child's pid into
 *       each before exec, then unshare the cgroup namespace),
 *       {@link dev.pelagos.cgroup.Cgroup#oomCounterFiles()} (read after exit; parse with
 *       {@link dev.pelagos.cgroup.OomCounter#parse}: &gt; 0 means OOMKilled) and
 *       {@link dev.pelagos.cgroup.Cgroup#directories()} (rmdir after exit), and
 *       {@link dev.pelagos.cgroup.CgroupDriver#containerMounts()} for the read-only
 *       /sys/fs/cgroup inside.</li>
 *   <li>Later commands: {@link dev.pelagos.cgroup.CgroupDriver#open} for {@code stats}
 *       ({@link dev.pelagos.cgroup.Stats}), {@code update}, {@code pause}/{@code unpause}
 *       ({@code freeze}/{@code thaw}) and {@code rm -f} ({@code destroy}: kill, wait, rmdir;
 *       idempotent); {@link dev.pelagos.cgroup.Cgroup#procsFiles(SubCgroups)} for OCI
 *       {@code exec --cgroup}.</li>
 *   <li>v1 device rules: {@link dev.pelagos.cgroup.V1Devices#apply} moves a devices cgroup to a
 *       rule list with the fewest writes ({@link dev.pelagos.cgroup.DeviceFilter}).</li>
 * </ol>
 *
 * <p>Paths are always resolved from the hierarchy root ({@code /sys/fs/cgroup/pelagos/<id>},
 * {@code /sys/fs/cgroup/memory/pelagos/<id>}), never from the caller's own cgroup: on the build
 * machines the caller's memory cgroup belongs to the host's supervisor.
 *
 * <p>Each controller is a class of static functions taking the cgroup directory (V2Memory, V1Cpu,
 * ...), so what is written where is unit-tested against temp directories; the behaviour against a
 * real kernel is tested by CgroupV1IT on this host and CgroupV2IT inside a VM (../vm/run-in-vm).
 */
package dev.pelagos.cgroup;
