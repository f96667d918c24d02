package dev.pelagos.cgroup;

import dev.pelagos.base.PelagosException;

/** Waiting for the kernel to catch up (a freeze to settle, a cgroup to empty), with a deadline. */
final class Poll {
    private Poll() {
    }

    interface Check {
        boolean done() throws PelagosException;
    }

    /** Polls every few milliseconds (backing off to 50 ms); true if the check passed in time. */
    static boolean until(long timeoutMillis, Check check) throws PelagosException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long sleep = 1;
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(sleep);
            sleep = Math.min(50, sleep * 2);
        }
        return true;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
