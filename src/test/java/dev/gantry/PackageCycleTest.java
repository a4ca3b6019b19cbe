package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout shows the design: no two packages depend on each other, directly or through others
 * (read from the sources' references to {@code dev.gantry.<package>.<Type>}).
 */
class PackageCycleTest {

    private static final Pattern REF = Pattern.compile("dev\\.gantry\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

    static Map<String, Set<String>> dependencies(Path root) throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REF.matcher(Files.readString(f));
                while (m.find()) {
                    String target = "dev.gantry." + m.group(1);
                    if (!target.equals(pkg)) {
                        out.add(target);
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void mainPackagesHaveNoCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies(Path.of("src/main/java"));
        assertThat(deps).containsKeys("dev.gantry.data", "dev.gantry.train", "dev.gantry.run", "dev.gantry.optim", "dev.gantry.models");
        List<String> cycles = new ArrayList<>();
        for (var e : deps.entrySet()) {
            for (String next : e.getValue()) {
                if (reaches(deps, next, e.getKey())) {
                    cycles.add(e.getKey() + " -> " + next + " -> ... -> " + e.getKey());
                }
            }
        }
        assertThat(cycles).isEmpty();
    }

    @Test
    void theCheckFindsACycleWhenThereIsOne() {
        Map<String, Set<String>> deps = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(reaches(deps, "b", "a")).isTrue();
        assertThat(reaches(deps, "a", "d")).isFalse();
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String to) {
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(from));
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            String p = todo.pop();
            if (p.equals(to)) {
                return true;
            }
            if (seen.add(p)) {
                todo.addAll(deps.getOrDefault(p, Set.of()));
            }
        }
        return false;
    }
}
