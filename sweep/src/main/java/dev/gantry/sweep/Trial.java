package dev.gantry.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trial of a sweep: a cell of the grid (its directory name, its label on every axis and the
 * {@code --set} overrides it stands for) and a seed.
 */
public record Trial(String cell, Map<String, String> labels, List<String> sets, long seed) implements Serializable {

    public Trial {
        labels = new LinkedHashMap<>(labels);
        sets = new ArrayList<>(sets);
    }

    /** The trial's directory name under {@code trials/}: {@code <cell>_seed-<S>}. */
    public String name() {
        return cell + "_seed-" + seed;
    }
}
