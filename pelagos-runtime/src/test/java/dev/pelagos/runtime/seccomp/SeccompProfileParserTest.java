package dev.pelagos.runtime.seccomp;

import static dev.pelagos.runtime.seccomp.ProfileEvaluator.KERNEL;
import static dev.pelagos.runtime.seccomp.ProfileEvaluator.action;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import dev.pelagos.base.ErrorKind;
import dev.pelagos.sys.seccomp.SeccompActions;
import org.junit.jupiter.api.Test;

class SeccompProfileParserTest {

    /** A profile in the style people keep next to their compose files: Docker format, conditions, args. */
    static final String THIRD_PARTY = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 1,
              "archMap": [
                {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}
              ],
              "syscalls": [
                {"names": ["read", "write", "exit_group", "brk", "mmap", "getpid", "not_a_syscall_anywhere"],
                 "action": "SCMP_ACT_ALLOW", "comment": "basics"},
                {"name": "openat", "action": "SCMP_ACT_ALLOW"},
                {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                 "args": [{"index": 1, "value": 9, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                {"names": ["kill"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_NE"}]},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["ptrace"], "action": "SCMP_ACT_LOG", "excludes": {"arches": ["arm64"], "minKernel": "99.0"}},
                {"names": ["ioctl"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 1, "value": 18446744073709551615, "valueTwo": 21524, "op": "SCMP_CMP_MASKED_EQ"}]},
                {"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS"}
              ],
              "unknownFutureField": {"ignored": true}
            }""";

    @Test
    void aThirdPartyDockerProfileLoadsAndResolves() throws Exception {
        SeccompProfile profile = SeccompProfileParser.parse(THIRD_PARTY, "third.json");
        ResolvedProfile p = SeccompResolver.resolve(profile, "third.json", ProfileEvaluator.PELAGOS_DEFAULT_CAPS,
                NativeArch.X86_64, KERNEL);

        assertThat(p.program().architectures()).containsExactly("x86_64", "x86", "x32");
        assertThat(action(p, "openat")).isEqualTo(SeccompActions.ALLOW);
        assertThat(action(p, "kill", 1, 9)).isEqualTo(SeccompActions.errno(13));
        assertThat(action(p, "kill", 1, 15)).isEqualTo(SeccompActions.ALLOW);
        assertThat(action(p, "mount")).isEqualTo(SeccompActions.errno(1));
        assertThat(action(p, "ptrace")).isEqualTo(SeccompActions.LOG);
        assertThat(action(p, "ioctl", 0, 0x5414)).isEqualTo(SeccompActions.ALLOW);
        assertThat(action(p, "ioctl", 0, 0x5413)).isEqualTo(SeccompActions.errno(1));
        assertThat(action(p, "reboot")).isEqualTo(SeccompActions.KILL_PROCESS);

        ResolvedProfile admin = SeccompResolver.resolve(profile, "third.json", ProfileEvaluator.CAP_SYS_ADMIN,
                NativeArch.AARCH64, KERNEL);
        assertThat(admin.program().architectures()).containsExactly("aarch64", "arm");
        assertThat(action(admin, "mount")).isEqualTo(SeccompActions.ALLOW);
        assertThat(action(admin, "ptrace")).isEqualTo(SeccompActions.errno(1));
    }

    @Test
    void anOciLinuxSeccompObjectLoadsFromAParsedConfig() throws Exception {
        String config = """
                {"ociVersion": "1.2.0", "linux": {"seccomp": {
                  "defaultAction": "SCMP_ACT_KILL_PROCESS",
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                  "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                  "syscalls": [
                    {"names": ["getcwd", "chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
                  ]}}}""";
        var seccomp = JsonParser.parseString(config).getAsJsonObject().getAsJsonObject("linux").get("seccomp");
        SeccompProfile profile = SeccompProfileParser.fromJsonTree(seccomp, "config.json");
        ResolvedProfile p = SeccompResolver.resolve(profile, "config.json", 0, NativeArch.X86_64, KERNEL);

        assertThat(p.program().defaultAction()).isEqualTo(SeccompActions.KILL_PROCESS);
        assertThat(p.program().architectures()).containsExactly("x86_64", "x86");
        assertThat(p.flags()).isEqualTo(SeccompNames.FLAG_LOG | SeccompNames.FLAG_SPEC_ALLOW);
        assertThat(action(p, "chmod")).isEqualTo(SeccompActions.errno(5));
        assertThat(action(p, "personality", 8)).isEqualTo(SeccompActions.ALLOW);
        assertThat(action(p, "personality", 9)).isEqualTo(SeccompActions.KILL_PROCESS);
    }

    @Test
    void badJsonNamesTheProblemAndThePlace() {
        assertThatThrownBy(() -> SeccompProfileParser.parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\",, }", "bad.json"))
                .isInstanceOf(SeccompProfileException.class)
                .hasMessageStartingWith("seccomp profile bad.json: bad JSON: ")
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("com.google");
        assertThatThrownBy(() -> SeccompProfileParser.parse("[1, 2]", "array.json"))
                .hasMessageContaining("array.json").hasMessageContaining("BEGIN_OBJECT");
        assertThatThrownBy(() -> SeccompProfileParser.parse("", "empty.json")).hasMessageContaining("empty.json: the file is empty");
        assertThatThrownBy(() -> SeccompProfileParser.parse("{\"syscalls\": [{\"args\": [{\"value\": 1.5}]}]}", "f.json"))
                .hasMessageContaining("f.json: bad JSON");
    }

    @Test
    void meaningErrorsSayWhereTheyAre() {
        assertProblem("{\"syscalls\": []}", "defaultAction: the action is missing");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_EXPLODE\"}", "defaultAction: unknown action SCMP_ACT_EXPLODE");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_NOPE\"}]}",
                "syscalls[0].action: unknown action SCMP_ACT_NOPE");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + "\"errnoRet\": 5}]}", "errnoRet is only valid with SCMP_ACT_ERRNO and SCMP_ACT_TRACE");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], "
                + "\"action\": \"SCMP_ACT_ALLOW\"}]}", "syscalls[0] has both name and names");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], "
                + "\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}]}", "both architectures and archMap");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_VAX\"]}",
                "unknown architecture SCMP_ARCH_VAX");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + "\"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "syscalls[0].args[0].index 6 is not 0..5");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + "\"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_ROUGHLY\"}]}]}", "syscalls[0].args[0].op: unknown op");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + "\"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}", "is not a 64-bit unsigned number");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", "
                + "\"includes\": {\"minKernel\": \"four\"}}]}", "syscalls[0].includes.minKernel");
        assertProblem("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
                "unsupported flag");
    }

    @Test
    void aUserSpaceAgentIsReportedAsUnsupported() throws Exception {
        SeccompProfile notify = SeccompProfileParser.parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
                + "[{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}", "agent.json");
        assertThatThrownBy(() -> SeccompResolver.resolve(notify, "agent.json", 0, NativeArch.X86_64, KERNEL))
                .isInstanceOfSatisfying(SeccompProfileException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED))
                .hasMessageContaining("SCMP_ACT_NOTIFY");
    }

    @Test
    void kernelVersionsParseAndCompare() {
        assertThat(KernelVersion.parse("6.18.44-fc-v595")).isEqualTo(new KernelVersion(6, 18, 44));
        assertThat(KernelVersion.parse("4.8")).isEqualTo(new KernelVersion(4, 8, 0));
        assertThat(KernelVersion.parse("5.15.0-91-generic").compareTo(KernelVersion.parse("5.16"))).isNegative();
        assertThatThrownBy(() -> KernelVersion.parse("6")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KernelVersion.parse("4.x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertProblem(String json, String expected) {
        assertThatThrownBy(() -> SeccompResolver.resolve(SeccompProfileParser.parse(json, "p.json"), "p.json", 0,
                NativeArch.X86_64, KERNEL))
                .isInstanceOf(SeccompProfileException.class)
                .hasMessageStartingWith("seccomp profile p.json: ")
                .hasMessageContaining(expected);
    }
}
