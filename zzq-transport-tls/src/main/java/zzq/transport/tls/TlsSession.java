package zzq.transport.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right behind the {@link SslHandler} of one connection: publishes the peer's verified certificate as the
 * transport identity, turns TLS failures into one clear exception for the engine, and closes the connection once
 * {@link TlsOptions#MAX_BYTES} of application data have passed (so a reconnect renews the keys).
 */
final class TlsSession extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSession.class);

    private final SslHandler ssl;
    private final long maxBytes;
    /** Whether the handlers behind this one hear of a failed handshake (a listener's); a dial's future does. */
    private final boolean reportHandshakeFailure;
    private final String peer;
    private long bytes;
    /** Whether anything came from the peer since the handshake. */
    private boolean heard;
    private boolean limitReached;
    private boolean handshakeFailed;

    /**
     * @param peer what to call the peer in messages ({@code null}: its address, found when needed)
     */
    TlsSession(SslHandler ssl, long maxBytes, boolean reportHandshakeFailure, String peer) {
        this.ssl = ssl;
        this.maxBytes = maxBytes;
        this.reportHandshakeFailure = reportHandshakeFailure;
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ssl.engine().getUseClientMode()) {
            TlsHandlers.setIdentityAfterHandshake(ctx.channel(), ssl);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess() && !handshakeFailed) {
            handshakeFailed = true;
            SSLException clear = TlsHandlers.handshakeFailure(peer(ctx), done.cause());
            if (reportHandshakeFailure) {
                ctx.fireExceptionCaught(clear); // the engine logs it (one line, at debug) and emits HandshakeFailed
            } else {
                LOG.debug("{}", clear.getMessage()); // the dial fails with it
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handshakeFailed || !reportHandshakeFailure && !ssl.handshakeFuture().isSuccess()) {
            // the handshake's failure is told once, by the event above or by the dial's future; the rest (a reset
            // after the alert, the decoder's copy of the same failure) only closes what is left
            LOG.trace("TLS with {}: {}", peer(ctx), cause.toString());
            ctx.close();
            return;
        }
        SSLException tls = TlsHandlers.sslCause(cause);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
        } else {
            // after the handshake: an alert from the peer (TLS 1.3 servers refuse a client certificate here), or
            // records that fail to decrypt
            ctx.fireExceptionCaught(TlsHandlers.failure("TLS with " + peer(ctx) + " failed", tls));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ssl.engine().getUseClientMode() && ssl.handshakeFuture().isSuccess() && !heard && !limitReached) {
            // a server that refuses the client's certificate after a TLS 1.3 handshake sends an alert, which a
            // reset (the server closing with the client's CONNECT unread) can destroy: say what is known
            String why = ClientCertificates.unanswered(ssl.engine());
            if (why != null) {
                ctx.fireExceptionCaught(new SSLException("TLS with " + peer(ctx) + " failed: " + why
                        + "; it closed the connection"));
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        heard = true;
        long n = size(msg);
        ctx.fireChannelRead(msg);
        count(ctx, n);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long n = size(msg);
        ctx.write(msg, promise);
        count(ctx, n);
    }

    private void count(ChannelHandlerContext ctx, long n) {
        bytes += n;
        if (bytes > maxBytes && !limitReached) {
            limitReached = true;
            IOException why = new IOException("TLS: " + bytes + " bytes of application data with " + peer(ctx)
                    + " passed the limit of " + maxBytes + " (MAX_BYTES); closing, so that a new connection has "
                    + "new keys");
            LOG.debug("{}", why.getMessage());
            // not from inside a write or read of the handlers behind: they see it once they are done
            ctx.executor().execute(() -> {
                ctx.fireExceptionCaught(why);
                ctx.close();
            });
        }
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
    }

    private String peer(ChannelHandlerContext ctx) {
        return peer != null ? peer : String.valueOf(ctx.channel().remoteAddress());
    }
}
