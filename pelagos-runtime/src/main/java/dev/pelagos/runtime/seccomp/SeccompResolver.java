package dev.pelagos.runtime.seccomp;

import dev.pelagos.base.ErrorKind;
import dev.pelagos.sys.seccomp.ArgCondition;
import dev.pelagos.sys.seccomp.FilterProgram;
import dev.pelagos.sys.seccomp.FilterRule;
import dev.pelagos.sys.seccomp.SeccompActions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Evaluates a profile for one container with Docker's rules: a rule block applies when all its
 * {@code includes} hold (every listed capability granted, the native architecture listed, the kernel
 * at least {@code minKernel}) and none of its {@code excludes} does (any listed capability granted,
 * the native architecture listed, the kernel at least {@code minKernel}). Like runc, a block whose
 * action equals the default is dropped, and conditions that test one argument more than once become
 * separate rules (ORed) instead of one ANDed rule. The whole profile is checked first, so an error
 * does not depend on the capabilities.
 */
public final class SeccompResolver {
    /** What a syscall made with an architecture outside the filter gets: it cannot be judged, so the process dies. */
    static final int BAD_ARCH_ACTION = SeccompActions.KILL_PROCESS;
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private SeccompResolver() {
    }

    public static ResolvedProfile resolve(SeccompProfile profile, String source, long capMask, NativeArch arch,
            KernelVersion kernel) throws SeccompProfileException {
        if (profile.listenerPath() != null && !profile.listenerPath().isEmpty()) {
            throw new SeccompProfileException(ErrorKind.UNSUPPORTED, "seccomp profile " + source
                    + ": listenerPath (a user-space seccomp agent) is not supported", "remove listenerPath from the profile");
        }
        int defaultAction = translate(source, "defaultAction",
                () -> SeccompNames.action(profile.defaultAction(), profile.defaultErrnoRet()));
        int flags = 0;
        for (String flag : orEmpty(profile.flags())) {
            flags |= translate(source, "flags", () -> SeccompNames.flag(flag));
        }
        List<String> architectures = architectures(profile, source, arch);
        List<SeccompProfile.Syscall> blocks = orEmpty(profile.syscalls());
        List<List<List<ArgCondition>>> conditionsPerBlock = new ArrayList<>();
        List<Integer> actionPerBlock = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            SeccompProfile.Syscall block = blocks.get(i);
            String where = "syscalls[" + i + "]";
            if (block == null) {
                throw SeccompProfileException.badProfile(source, where + " is null");
            }
            if (block.name() != null && block.names() != null && !block.names().isEmpty()) {
                throw SeccompProfileException.badProfile(source, where + " has both name and names; use names");
            }
            actionPerBlock.add(translate(source, where + ".action", () -> SeccompNames.action(block.action(), block.errnoRet())));
            conditionsPerBlock.add(conditions(block.args(), source, where));
            checkFilter(block.includes(), source, where + ".includes");
            checkFilter(block.excludes(), source, where + ".excludes");
        }

        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            SeccompProfile.Syscall block = blocks.get(i);
            int action = actionPerBlock.get(i);
            if (action == defaultAction || !applies(block, capMask, arch, kernel)) {
                continue;
            }
            for (String name : names(block)) {
                for (List<ArgCondition> conditions : conditionsPerBlock.get(i)) {
                    rules.add(new FilterRule(name, action, conditions));
                }
            }
        }
        return new ResolvedProfile(new FilterProgram(defaultAction, BAD_ARCH_ACTION, architectures, rules, true), flags);
    }

    static boolean applies(SeccompProfile.Syscall block, long capMask, NativeArch arch, KernelVersion kernel) {
        SeccompProfile.Filter excludes = block.excludes();
        if (excludes != null) {
            if (orEmpty(excludes.arches()).contains(arch.goName())) {
                return false;
            }
            for (String cap : orEmpty(excludes.caps())) {
                if (CapabilityNames.granted(capMask, cap)) {
                    return false;
                }
            }
            if (hasText(excludes.minKernel()) && kernel.compareTo(KernelVersion.parse(excludes.minKernel())) >= 0) {
                return false;
            }
        }
        SeccompProfile.Filter includes = block.includes();
        if (includes != null) {
            List<String> arches = orEmpty(includes.arches());
            if (!arches.isEmpty() && !arches.contains(arch.goName())) {
                return false;
            }
            for (String cap : orEmpty(includes.caps())) {
                if (!CapabilityNames.granted(capMask, cap)) {
                    return false;
                }
            }
            if (hasText(includes.minKernel()) && kernel.compareTo(KernelVersion.parse(includes.minKernel())) < 0) {
                return false;
            }
        }
        return true;
    }

    private static List<String> architectures(SeccompProfile profile, String source, NativeArch arch)
            throws SeccompProfileException {
        List<String> listed = orEmpty(profile.architectures());
        List<SeccompProfile.ArchMapping> map = orEmpty(profile.archMap());
        if (!listed.isEmpty() && !map.isEmpty()) {
            throw SeccompProfileException.badProfile(source, "both architectures and archMap are given; use one");
        }
        Set<String> result = new LinkedHashSet<>();
        for (String name : listed) {
            result.add(translate(source, "architectures", () -> SeccompNames.architecture(name)));
        }
        for (int i = 0; i < map.size(); i++) {
            SeccompProfile.ArchMapping mapping = map.get(i);
            String where = "archMap[" + i + "]";
            if (mapping == null) {
                throw SeccompProfileException.badProfile(source, where + " is null");
            }
            String main = translate(source, where + ".architecture", () -> SeccompNames.architecture(mapping.architecture()));
            List<String> subs = new ArrayList<>();
            for (String sub : orEmpty(mapping.subArchitectures())) {
                subs.add(translate(source, where + ".subArchitectures", () -> SeccompNames.architecture(sub)));
            }
            if (main.equals(arch.libseccompName())) {
                result.add(main);
                result.addAll(subs);
            }
        }
        return List.copyOf(result);
    }

    /** The rules' condition lists: one list when each argument is tested once, else one rule per condition. */
    private static List<List<ArgCondition>> conditions(List<SeccompProfile.Arg> args, String source, String where)
            throws SeccompProfileException {
        List<ArgCondition> all = new ArrayList<>();
        List<SeccompProfile.Arg> given = orEmpty(args);
        for (int j = 0; j < given.size(); j++) {
            SeccompProfile.Arg arg = given.get(j);
            String at = where + ".args[" + j + "]";
            if (arg == null) {
                throw SeccompProfileException.badProfile(source, at + " is null");
            }
            if (arg.index() == null || arg.index() < 0 || arg.index() >= ArgCondition.MAX_ARGUMENTS) {
                throw SeccompProfileException.badProfile(source, at + ".index " + arg.index() + " is not 0.."
                        + (ArgCondition.MAX_ARGUMENTS - 1));
            }
            var op = translate(source, at + ".op", () -> SeccompNames.operator(arg.op()));
            all.add(new ArgCondition(arg.index(), op, uint64(arg.value(), source, at + ".value"),
                    uint64(arg.valueTwo(), source, at + ".valueTwo")));
        }
        boolean repeated = all.stream().map(ArgCondition::index).distinct().count() < all.size();
        if (!repeated) {
            return List.of(all);
        }
        return all.stream().map(List::of).toList();
    }

    private static long uint64(BigInteger value, String source, String where) throws SeccompProfileException {
        if (value == null) {
            return 0;
        }
        if (value.signum() < 0 || value.compareTo(UINT64_LIMIT) >= 0) {
            throw SeccompProfileException.badProfile(source, where + " " + value + " is not a 64-bit unsigned number");
        }
        return value.longValue();
    }

    private static void checkFilter(SeccompProfile.Filter filter, String source, String where) throws SeccompProfileException {
        if (filter != null && hasText(filter.minKernel())) {
            translate(source, where + ".minKernel", () -> KernelVersion.parse(filter.minKernel()));
        }
    }

    private static List<String> names(SeccompProfile.Syscall block) {
        if (block.name() != null) {
            return List.of(block.name());
        }
        return orEmpty(block.names()).stream().filter(n -> n != null && !n.isBlank()).toList();
    }

    private interface Translation<T> {
        T get();
    }

    private static <T> T translate(String source, String where, Translation<T> translation) throws SeccompProfileException {
        try {
            return translation.get();
        } catch (UnsupportedOperationException e) {
            throw new SeccompProfileException(ErrorKind.UNSUPPORTED, "seccomp profile " + source + ": " + where + ": "
                    + e.getMessage(), "change the profile to use another action");
        } catch (IllegalArgumentException e) {
            throw SeccompProfileException.badProfile(source, where + ": " + e.getMessage());
        }
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
