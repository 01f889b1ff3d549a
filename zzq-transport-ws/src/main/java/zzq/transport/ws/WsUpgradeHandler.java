package zzq.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP upgrade of either side, bounded in time: from the moment the handler is in the pipeline (at connect) to
 * its removal (the upgrade done), at most the handshake timeout; past it, {@link #timedOut} decides.
 */
abstract class WsUpgradeHandler extends ChannelInboundHandlerAdapter {
    /** How long the upgrade may take, in nanoseconds. */
    final long timeoutNanos;
    private ScheduledFuture<?> timer;

    WsUpgradeHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The upgrade took longer than {@link #timeoutNanos}. */
    abstract void timedOut(ChannelHandlerContext ctx);

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> timedOut(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
