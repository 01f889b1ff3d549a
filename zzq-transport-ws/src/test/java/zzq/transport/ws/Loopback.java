package zzq.transport.ws;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import zzq.api.Endpoint;
import zzq.api.spi.Listener;
import zzq.api.spi.TransportContext;
import zzq.api.spi.TransportOptions;

/**
 * The WebSocket transport with a stand-in for the engine: every channel handed over gets an {@link EngineSide}
 * that records the bytes, errors and close the engine would see, and lets a test write bytes as the engine would.
 * Register it as a static {@code @RegisterExtension}: its loop lives as long as the test class, and each test starts
 * with no channels handed over.
 */
final class Loopback implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
    static final long WAIT_SECONDS = 10;

    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final WsTransport transport = new WsTransport();
    /** The engine's side of each channel handed over, in order. */
    final BlockingQueue<EngineSide> handedOver = new LinkedBlockingQueue<>();
    final TransportContext context = new TransportContext() {
        @Override
        public EventLoopGroup group() {
            return group;
        }

        @Override
        public void initialize(Channel channel, Endpoint endpoint) {
            EngineSide side = new EngineSide(channel, endpoint);
            channel.pipeline().addLast("mqtt", side);
            handedOver.add(side);
        }
    };

    Listener bind(String url, TransportOptions options) throws Exception {
        return transport.bind(Endpoint.parse(url), options, context);
    }

    /** The next channel handed to the engine; fails if none comes in time. */
    EngineSide next() throws InterruptedException {
        EngineSide side = handedOver.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(side, "no channel was handed to the engine");
        return side;
    }

    @Override
    public void beforeEach(ExtensionContext test) {
        handedOver.clear();
    }

    @Override
    public void afterAll(ExtensionContext tests) {
        // a @Nested class inherits the extension: the loop ends with the outermost class only
        if (!tests.getRequiredTestClass().isAnnotationPresent(org.junit.jupiter.api.Nested.class)) {
            close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What the engine sees of one channel. */
    static final class EngineSide extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final Endpoint endpoint;
        /** Each ByteBuf read, copied. */
        final BlockingQueue<byte[]> reads = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> inactive = new CompletableFuture<>();

        EngineSide(Channel channel, Endpoint endpoint) {
            this.channel = channel;
            this.endpoint = endpoint;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg; // anything else is a ClassCastException, which the test sees as an error
            try {
                reads.add(ByteBufUtil.getBytes(in));
            } finally {
                in.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.complete(null);
        }

        /** Reads chunks until {@code n} bytes came; fails if they do not in time. */
        byte[] readBytes(int n) throws InterruptedException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (all.size() < n) {
                byte[] chunk = reads.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(chunk, "only " + all.size() + " of " + n + " bytes reached the engine");
                all.writeBytes(chunk);
            }
            return all.toByteArray();
        }

        /** Writes these buffers as one batch (then one flush), on the channel's loop, as the engine does. */
        void writeBatch(byte[]... parts) {
            channel.eventLoop().execute(() -> {
                for (byte[] p : parts) {
                    channel.pipeline().context(this).write(channel.alloc().buffer(p.length).writeBytes(p),
                            channel.voidPromise());
                }
                channel.pipeline().context(this).flush();
            });
        }

        /** Closes the channel as the engine does: from its own handler. */
        void closeAsEngine() {
            channel.eventLoop().execute(() -> channel.pipeline().context(this).close());
        }

        void awaitInactive() throws Exception {
            inactive.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
