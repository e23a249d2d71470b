package dev.livecounter.broadcaster.websocket;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketUpgradeHandler;
import io.micronaut.core.annotation.Nullable;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;

/**
 * Keeps WebSocket compression (permessage-deflate) from being negotiated: Micronaut puts Netty's compression
 * handler in every connection's pipeline, which accepts the extension whenever a browser offers it (they all do),
 * with no limit on how much one message inflates to (64 MiB from 1,330 bytes on the wire). It buys nothing here:
 * a count frame is about 100 bytes, and per socket it would cost a deflater's and an inflater's state and a
 * compression of every fan-out frame per socket (figures in docs/performance.md). So the handler is taken out of
 * each connection's pipeline as soon as it is built, before any upgrade request reaches it.
 */
@Singleton
final class NoMessageCompression implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Remover(null));
        return event.getBean();
    }

    /** Per channel: takes the compression handler out of that channel's pipeline once it is built. */
    private static final class Remover implements NettyServerCustomizer {

        @Nullable
        private final Channel channel;

        Remover(@Nullable Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return new Remover(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER) != null) {
                channel.pipeline().remove(NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER);
            }
        }
    }
}
