package dev.gantry.run;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.config.ConfigLoader;
import dev.gantry.config.RunConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** How a run was made: versions, machine, threads, seed and Gantry's git commit, written before training. */
public final class Provenance {

    private Provenance() {}

    public static ObjectNode collect(RunConfig config, String command) {
        ObjectNode o = ConfigLoader.mapper().createObjectNode();
        o.put("gantry_version", gantryVersion());
        o.put("gantry_commit", gitCommit());
        o.put("command", command);
        o.put("created", Instant.now().toString());
        o.put("seed", config.seed());
        o.put("preset", config.preset());
        Engine engine = Engine.getInstance();
        o.put("djl_version", Engine.getDjlVersion());
        o.put("engine", engine.getEngineName());
        o.put("engine_version", engine.getVersion());
        o.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        o.put("interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
        o.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        o.put("cpu", cpuModel());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        // Whether train.backward = native can run here (docs/performance.md), or why not.
        o.put("native_kernels", dev.gantry.nn.Kernels.available() ? "loaded" : dev.gantry.nn.Kernels.unavailableReason());
        return o;
    }

    /** Gantry's version from the jar's Maven metadata, or "dev". */
    public static String gantryVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/META-INF/maven/dev.gantry/gantry/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }

    /** The commit of the Gantry checkout (GANTRY_HOME or the working directory), with "-dirty" for local changes. */
    public static String gitCommit() {
        String home = System.getProperty("gantry.home", System.getProperty("user.dir"));
        String head = run(home, "git", "rev-parse", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = run(home, "git", "status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isBlank() ? head + "-dirty" : head;
    }

    private static String run(String dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(Path.of(dir).toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
