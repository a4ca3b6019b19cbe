package dev.gantry.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several gantry commands one after the other in one JVM, for tests that need a process of
 * their own: {@code ChildCommands train ... ";" resume ... ";" sample ...}. Exits with the first
 * non-zero exit code, or 0.
 */
public final class ChildCommands {

    private ChildCommands() {}

    public static void main(String[] args) {
        List<String> command = new ArrayList<>();
        for (String a : Arrays.asList(args)) {
            if (a.equals(";")) {
                run(command);
                command.clear();
            } else {
                command.add(a);
            }
        }
        run(command);
        System.exit(0);
    }

    private static void run(List<String> command) {
        if (command.isEmpty()) {
            return;
        }
        int code = Main.run(command.toArray(String[]::new));
        if (code != 0) {
            System.exit(code);
        }
    }
}
