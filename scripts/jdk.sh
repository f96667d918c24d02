# Sourced by the project's scripts: finds a JDK 25 and exports JAVA_HOME, or says where it looked.
pelagos_find_jdk() {
    local c
    for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
        [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
        if "$c/bin/java" -version 2>&1 | head -1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
            export JAVA_HOME="$c"
            return 0
        fi
    done
    echo "pelagos: error: no JDK 25 found (looked in \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)" >&2
    echo "hint: install Temurin 25 or set JAVA_HOME to a JDK 25" >&2
    return 1
}
