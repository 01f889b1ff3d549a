package zzq.engine.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Session#execute} keeps the order of its callers' tasks when the session moves to another loop (a client
 * resuming its session on a new connection while publishers keep delivering to it): tasks handed over before the move
 * and after it run in the order they were given, each on the loop the session is on.
 */
@Timeout(30)
class SessionTaskOrderTest {
    @RepeatedTest(5)
    void tasksKeepTheirOrderAcrossAMove() throws Exception {
        EventLoop a = new DefaultEventLoop();
        EventLoop b = new DefaultEventLoop();
        try {
            Session s = new Session("c", null, a, null);
            int n = 20_000;
            List<Integer> ran = new ArrayList<>(n); // only ever touched by the session's loop of the moment
            List<Boolean> onTheSessionsLoop = new ArrayList<>(n);
            CountDownLatch done = new CountDownLatch(1);
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    int k = i;
                    s.execute(() -> {
                        ran.add(k);
                        onTheSessionsLoop.add(s.loop().inEventLoop());
                        if (k == n / 3) {
                            s.moveTo(b); // as Sessions.open does, on the session's loop
                        }
                        if (k == n - 1) {
                            done.countDown();
                        }
                    });
                }
            });
            publisher.start();
            assertTrue(done.await(20, TimeUnit.SECONDS), "every task ran");
            publisher.join();
            for (int i = 0; i < n; i++) {
                assertEquals(i, ran.get(i), "task order at " + i);
            }
            assertTrue(onTheSessionsLoop.stream().allMatch(x -> x), "each task on the session's loop");
            assertTrue(b.submit(() -> s.loop() == b).get(5, TimeUnit.SECONDS));
        } finally {
            a.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            b.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
