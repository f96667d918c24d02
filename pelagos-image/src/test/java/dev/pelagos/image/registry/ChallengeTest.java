package dev.pelagos.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void parsesABearerChallenge() {
        List<Challenge> cs = Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");
        assertThat(cs).hasSize(1);
        assertThat(cs.getFirst().scheme()).isEqualTo("bearer");
        assertThat(cs.getFirst().param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(cs.getFirst().param("service")).isEqualTo("registry.docker.io");
        assertThat(cs.getFirst().param("scope")).isEqualTo("repository:library/alpine:pull");
    }

    @Test
    void parsesBasicAndSeveralChallengesAndEscapes() {
        List<Challenge> cs = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"http://x/t\", error=invalid_token,"
                + " Custom realm=\"a \\\"quoted\\\" b\"");
        assertThat(cs).extracting(Challenge::scheme).containsExactly("basic", "bearer", "custom");
        assertThat(cs.get(0).param("realm")).isEqualTo("Registry Realm");
        assertThat(cs.get(1).param("error")).isEqualTo("invalid_token");
        assertThat(cs.get(2).param("realm")).isEqualTo("a \"quoted\" b");
    }

    @Test
    void toleratesEmptyAndOddHeaders() {
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse("Basic")).extracting(Challenge::scheme).containsExactly("basic");
    }

    @Test
    void loopbackDetection() {
        assertThat(RegistryClient.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("localhost")).isTrue();
        assertThat(RegistryClient.isLoopback("[::1]:5000")).isTrue();
        assertThat(RegistryClient.isLoopback("127.example.com")).isFalse();
        assertThat(RegistryClient.isLoopback("10.0.0.1:5000")).isFalse();
    }

    @Test
    void credentialsNeverShowTheSecret() {
        assertThat(new Credentials("bob", "hunter2").toString()).doesNotContain("hunter2");
        assertThat(new Credentials("bob", "pw").basicHeader()).isEqualTo("Basic Ym9iOnB3");
    }
}
