package dev.pelagos.cli.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Options runLike() {
        return new Options()
                .flag("-d, --detach", "detach")
                .flag("-i, --interactive", "interactive")
                .flag("-t, --tty", "tty")
                .flag("--rm", "remove")
                .value("--name", "NAME", "name")
                .list("-e, --env", "K=V", "env")
                .hidden("--legacy", "X")
                .stopAtFirstPositional();
    }

    private static Options anywhere() {
        return new Options().flag("-f, --force", "force").value("-n, --count", "N", "count");
    }

    private static Args parse(Options o, String... argv) throws UsageException {
        return Args.parse("pelagos run", o, List.of(argv));
    }

    @Test
    void longFlagsWithSeparateAndAttachedValues() throws UsageException {
        Args a = parse(runLike(), "--name", "web", "--rm", "img");
        assertThat(a.get("name")).isEqualTo("web");
        assertThat(a.has("rm")).isTrue();
        assertThat(a.positionals()).containsExactly("img");

        Args b = parse(runLike(), "--name=web=1", "img");
        assertThat(b.get("name")).isEqualTo("web=1");
        assertThat(parse(runLike(), "--name=", "img").get("name")).isEmpty();
    }

    @Test
    void bundledShortBooleans() throws UsageException {
        Args a = parse(runLike(), "-dit", "img");
        assertThat(a.has("detach")).isTrue();
        assertThat(a.has("interactive")).isTrue();
        assertThat(a.has("tty")).isTrue();
        assertThat(a.has("rm")).isFalse();
    }

    @Test
    void shortValueFlagTakesTheRestOfTheBundleOrTheNextArgument() throws UsageException {
        assertThat(parse(runLike(), "-eK=V", "img").all("env")).containsExactly("K=V");
        assertThat(parse(runLike(), "-e=K=V", "img").all("env")).containsExactly("K=V");
        assertThat(parse(runLike(), "-e", "K=V", "img").all("env")).containsExactly("K=V");
        Args a = parse(runLike(), "-de", "A=1", "img");
        assertThat(a.has("detach")).isTrue();
        assertThat(a.all("env")).containsExactly("A=1");
        assertThat(a.positionals()).containsExactly("img");
    }

    @Test
    void repeatableFlagsKeepEveryValueInOrderAndSingleValuesKeepTheLast() throws UsageException {
        Args a = parse(runLike(), "-e", "A=1", "--env", "B=2", "--env=C=3", "--name", "x", "--name", "y", "img");
        assertThat(a.all("env")).containsExactly("A=1", "B=2", "C=3");
        assertThat(a.get("name")).isEqualTo("y");
        assertThat(a.all("absent")).isEmpty();
        assertThat(a.get("absent", "dflt")).isEqualTo("dflt");
    }

    @Test
    void booleanFlagWithExplicitTrueOrFalse() throws UsageException {
        assertThat(parse(runLike(), "--rm=true", "img").has("rm")).isTrue();
        assertThat(parse(runLike(), "--rm", "--rm=false", "img").has("rm")).isFalse();
        assertThatThrownBy(() -> parse(runLike(), "--rm=yes", "img"))
                .isInstanceOf(UsageException.class)
                .hasMessage("option '--rm' takes no value, got 'yes'");
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        Args a = parse(anywhere(), "-f", "--", "-n", "--force", "-");
        assertThat(a.has("force")).isTrue();
        assertThat(a.has("count")).isFalse();
        assertThat(a.positionals()).containsExactly("-n", "--force", "-");
    }

    @Test
    void singleDashIsAPositional() throws UsageException {
        Args a = parse(anywhere(), "-", "-f");
        assertThat(a.positionals()).containsExactly("-");
        assertThat(a.has("force")).isTrue();
    }

    @Test
    void stopAtFirstPositionalGivesTheRestToTheContainer() throws UsageException {
        Args a = parse(runLike(), "--rm", "img", "/bin/sh", "-c", "--name x", "--rm", "-e");
        assertThat(a.has("rm")).isTrue();
        assertThat(a.has("name")).isFalse();
        assertThat(a.all("env")).isEmpty();
        assertThat(a.positionals()).containsExactly("img", "/bin/sh", "-c", "--name x", "--rm", "-e");
    }

    @Test
    void withoutStopOptionsMayFollowPositionals() throws UsageException {
        Args a = parse(anywhere(), "a", "-f", "b", "--count", "3", "c");
        assertThat(a.positionals()).containsExactly("a", "b", "c");
        assertThat(a.has("force")).isTrue();
        assertThat(a.get("count")).isEqualTo("3");
    }

    @Test
    void hiddenOptionsAreAcceptedButNotListed() throws UsageException {
        Options o = runLike();
        assertThat(parse(o, "--legacy", "v", "img").get("legacy")).isEqualTo("v");
        assertThat(o.all().stream().filter(Options.Option::hidden).map(Options.Option::key)).containsExactly("legacy");
    }

    @Test
    void unknownLongOptionNamesTheCommandAndPointsToHelp() {
        assertThatThrownBy(() -> parse(runLike(), "--bogus", "img"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--bogus' for 'pelagos run'")
                .extracting(e -> ((UsageException) e).hint()).isEqualTo("see 'pelagos run --help'");
        assertThatThrownBy(() -> parse(runLike(), "--bogus=1", "img"))
                .hasMessage("unknown option '--bogus' for 'pelagos run'");
    }

    @Test
    void unknownShortOptionInsideABundleIsNamed() {
        assertThatThrownBy(() -> parse(runLike(), "-dz", "img"))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '-z' for 'pelagos run'");
    }

    @Test
    void missingValueIsAUsageError() {
        assertThatThrownBy(() -> parse(runLike(), "--name"))
                .isInstanceOf(UsageException.class).hasMessage("option '--name' needs a value");
        assertThatThrownBy(() -> parse(runLike(), "-e"))
                .isInstanceOf(UsageException.class).hasMessage("option '-e' needs a value");
    }

    @Test
    void requiredAndAtMostPositionals() throws UsageException {
        Args a = parse(anywhere(), "one", "two");
        assertThat(a.required(0, "a NAME")).isEqualTo("one");
        assertThatThrownBy(() -> a.required(2, "a third thing"))
                .isInstanceOf(UsageException.class).hasMessage("'pelagos run' needs a third thing");
        assertThatThrownBy(() -> a.atMost(1))
                .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'two' for 'pelagos run'");
        a.atMost(2);
    }

    @Test
    void duplicateDeclarationsAreAProgrammingError() {
        assertThatThrownBy(() -> new Options().flag("-f, --force", "x").flag("--force", "y"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keyIsTheLongNameWithoutDashes() {
        Options o = new Options().value("-w, --workdir", "DIR", "w").flag("-q", "quiet");
        assertThat(o.all()).extracting(Options.Option::key).containsExactly("workdir", "q");
        assertThat(o.all().getFirst().takesValue()).isTrue();
        assertThat(o.all().get(1).takesValue()).isFalse();
    }
}
