package dev.gantry.eval;

import dev.gantry.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The metric registry: a protocol's name to its {@link Metric}. Adding a metric is one line here. */
public final class Metrics {

    private static final Map<String, Metric> REGISTRY = new LinkedHashMap<>();

    static {
        register(new Parzen10k());
    }

    private Metrics() {}

    private static void register(Metric m) {
        REGISTRY.put(m.name(), m);
    }

    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /**
     * The metric called {@code name}.
     *
     * @throws BadInputException listing the valid names
     */
    public static Metric named(String name) {
        Metric m = REGISTRY.get(name);
        if (m == null) {
            throw new BadInputException("unknown metric '" + name + "' (expected one of " + String.join(", ", names()) + ")");
        }
        return m;
    }
}
