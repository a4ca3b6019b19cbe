package dev.gantry.cli;

import dev.gantry.lab.live.LabServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code gantry lab serve}: the live lab (docs/lab.md). Starts the page's server on 127.0.0.1,
 * prints its address and serves until Ctrl-C; a port in use exits 2 with the reason.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Watch a GAN learn, live, in a browser (docs/lab.md): a local page where you pick a 2D mixture",
                "(ring8, grid25 or one you draw), a loss, k, the learning rate and noise dimension, press play and watch",
                "D's verdict, G's samples and the force field of G's loss, modes captured and the alarms.",
                "Training runs in Gantry (the trainer of `gantry train`). Listens on 127.0.0.1 only; Ctrl-C stops."})
final class LabServeCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "7070",
            description = "port on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--open", description = "also open the page in the desktop's browser (xdg-open), if there is one")
    boolean open;

    /** Released when the server should stop (tests; the shutdown hook otherwise). */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile LabServer server;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LabServer s = LabServer.start(port);   // a port out of range or in use: BadInputException, exit 2
        server = s;
        Thread hook = new Thread(() -> {
            s.close();
            stop.countDown();
        }, "gantry-lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("gantry lab: serving " + s.url() + "  (Ctrl-C stops)");
        out.flush();
        if (open) {
            open(s.url(), out);
        }
        try {
            stop.await();
        } finally {
            s.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the server itself
            }
        }
        return Main.OK;
    }

    private static void open(String url, PrintWriter out) {
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (java.io.IOException e) {
            out.println("gantry lab: no browser to open here (" + e.getMessage() + "); open " + url + " yourself");
            out.flush();
        }
    }
}
