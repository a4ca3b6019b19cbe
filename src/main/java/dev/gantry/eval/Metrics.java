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
        register(new Classes10k());
        register(new Cscore10k());
        register(new FidLenet10k());
        register(new KidLenet10k());
        register(new PrLenet10k());
        register(new DcLenet10k());
        register(new StackedModes26k());
        register(new Agreement10k());
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
