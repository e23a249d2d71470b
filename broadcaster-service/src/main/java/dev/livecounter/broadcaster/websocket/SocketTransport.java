package dev.livecounter.broadcaster.websocket;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.EventLoopGroupConfiguration;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, at start-up, which of Netty's transports the pages' sockets really run on: the first of
 * {@code livecounter.broadcaster.transport} (default {@code epoll,nio}) whose native library loads here. Micronaut
 * skips a native transport that does not load (another OS or arch, a sandbox refusing its system calls) without a
 * word, so the listening channel itself is the one reliable witness: an operator reads "epoll" or "nio" in the log,
 * and the reason when the first choice did not load. (Micronaut 4.10's {@code micronaut.server.netty.use-native-transport}
 * is read by nothing any more: the event loops' {@code transport} lists decide, set from that one setting.)
 */
@Singleton
final class SocketTransport
        implements BeanCreatedEventListener<NettyServerCustomizer.Registry>, ApplicationEventListener<ServerStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(SocketTransport.class);

    private final Provider<EventLoopGroupRegistry> eventLoops;
    private final AtomicReference<Channel> listener = new AtomicReference<>();

    SocketTransport(Provider<EventLoopGroupRegistry> eventLoops) {
        this.eventLoops = eventLoops;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                if (role == ChannelRole.LISTENER) {
                    listener.compareAndSet(null, channel);
                }
                return this;
            }
        });
        return event.getBean();
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        List<String> wanted = eventLoops.get().getEventLoopGroupConfiguration(EventLoopGroupConfiguration.DEFAULT)
                .map(EventLoopGroupConfiguration::getTransport)
                .orElse(List.of());
        Optional<String> got = name();
        String listening = Optional.ofNullable(listener.get()).map(c -> c.getClass().getName()).orElse("no listener seen");
        if (got.isPresent() && !wanted.isEmpty() && got.get().equals(wanted.get(0))) {
            LOG.info("sockets on Netty's {} transport ({}); wanted {}", got.get(), listening, wanted);
        } else {
            LOG.warn("sockets on Netty's {} transport ({}); wanted {}: {}", got.orElse("unknown"), listening, wanted,
                    wanted.isEmpty() ? "no list" : whyNot(wanted.get(0)));
        }
    }

    /**
     * The transport of the listening channel, {@code epoll}, {@code io_uring}, {@code kqueue} or {@code nio}, as
     * Micronaut's lists name them; empty before the server listens.
     */
    Optional<String> name() {
        return Optional.ofNullable(listener.get()).map(c -> transportOf(c.getClass()));
    }

    /** A channel class's transport, by its Netty package. */
    static String transportOf(Class<?> channelClass) {
        String pkg = channelClass.getPackageName();
        if (pkg.startsWith("io.netty.channel.epoll")) {
            return "epoll";
        }
        if (pkg.startsWith("io.netty.channel.uring")) {
            return "io_uring";
        }
        if (pkg.startsWith("io.netty.channel.kqueue")) {
            return "kqueue";
        }
        if (pkg.startsWith("io.netty.channel.socket.nio") || pkg.startsWith("io.netty.channel.nio")) {
            return "nio";
        }
        return channelClass.getName();
    }

    private static String whyNot(String transport) {
        Throwable cause = switch (transport) {
            case "epoll" -> Epoll.unavailabilityCause();
            case "io_uring" -> IoUring.unavailabilityCause();
            default -> null;
        };
        return cause == null ? transport + " is not available here" : transport + " did not load: " + cause;
    }
}
