package dev.gantry.run;

import java.nio.file.Path;

/** A child process for RunDirectoryTest: locks the run directory given as argument, says so, and waits to be killed. */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        RunDirectory run = RunDirectory.create(Path.of(args[0]).getParent(), "x", Path.of(args[0]));
        RunDirectory.Lock lock = run.lock();
        System.out.println("locked " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(600_000);
        lock.close();
    }
}
