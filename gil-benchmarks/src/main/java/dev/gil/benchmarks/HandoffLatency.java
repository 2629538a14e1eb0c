package dev.gil.benchmarks;

import dev.gil.benchmarks.jmh.CheckpointPartner;
import dev.gil.core.GlobalInterpreterLock;
import dev.gil.core.HandoffScheduler;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Round trips of the lock between two threads (two handoffs), against the same ping-pong done with bare
 * {@code park/unpark} and with a spinning volatile flag (the machine's cross-core limit). The p50 of each, in ns.
 */
final class HandoffLatency {
    private HandoffLatency() {}

    /** p50 round trip of the lock under {@code scheduler}: each thread checkpoints, handing over to the other. */
    static double gilRoundTripP50(HandoffScheduler scheduler, int rounds) throws InterruptedException {
        GlobalInterpreterLock gil = GlobalInterpreterLock.builder().scheduler(scheduler).name("ping-pong").build();
        Histogram histogram = new Histogram(3);
        long switches;
        CheckpointPartner partner = CheckpointPartner.start(gil);
        try {
            long switchesBefore = gil.stats().switches();
            for (int i = 0; i < rounds; i++) {
                partner.awaitQueued(); // untimed: a round trip starts once the partner is queued
                long start = System.nanoTime();
                gil.checkpoint();
                histogram.recordValue(System.nanoTime() - start);
            }
            switches = gil.stats().switches() - switchesBefore;
        } finally {
            partner.stop();
        }
        if (switches != 2L * rounds) {
            throw new IllegalStateException(switches + " switches in " + rounds + " round trips: "
                    + "expected two per round trip, so the figure would not be a round trip");
        }
        return histogram.getValueAtPercentile(50);
    }

    /** p50 round trip of a bare park/unpark ping-pong: the wake-up cost a blocking handoff pays. */
    static double parkUnparkRoundTripP50(int rounds) throws InterruptedException {
        PingPong pingPong = new PingPong();
        Histogram histogram = new Histogram(3);
        Thread pong = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                pingPong.awaitTurn(1, false);
                pingPong.pass(0);
            }
        }, "pong");
        pingPong.other = Thread.currentThread();
        pingPong.pong = pong;
        pong.start();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            pingPong.pass(1);
            pingPong.awaitTurn(0, false);
            histogram.recordValue(System.nanoTime() - start);
        }
        pong.join();
        return histogram.getValueAtPercentile(50);
    }

    /** p50 round trip of two threads spinning on a volatile: how fast a cache line can cross between cores. */
    static double spinRoundTripP50(int rounds) throws InterruptedException {
        PingPong pingPong = new PingPong();
        Histogram histogram = new Histogram(3);
        Thread pong = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                pingPong.awaitTurn(1, true);
                pingPong.turn = 0;
            }
        }, "pong");
        pong.start();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            pingPong.turn = 1;
            pingPong.awaitTurn(0, true);
            histogram.recordValue(System.nanoTime() - start);
        }
        pong.join();
        return histogram.getValueAtPercentile(50);
    }

    private static final class PingPong {
        volatile int turn;
        volatile Thread other;
        volatile Thread pong;

        void pass(int to) {
            turn = to;
            LockSupport.unpark(to == 1 ? pong : other);
        }

        void awaitTurn(int me, boolean spin) {
            while (turn != me) {
                if (spin) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
