package dev.livecounter.broadcaster.limits;

import dev.livecounter.broadcaster.config.LimitSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per client address: how many sockets it holds and how fast it opens new ones. The address is the peer's,
 * or, behind a trusted proxy, the last entry of the configured header, never anything else a client sends.
 */
@Singleton
public class ClientLimits {

    private final LimitSettings settings;
    private final TrustedProxies trustedProxies;
    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();

    ClientLimits(LimitSettings settings) {
        this.settings = settings;
        this.trustedProxies = new TrustedProxies(settings.trustedProxies());
    }

    private final class Client {
        final AtomicInteger sockets = new AtomicInteger();
        final TokenBucket connects = new TokenBucket(settings.connectsPerSecond(), settings.connectBurst());
    }

    /** The client's address as far as this server can trust it. */
    public String address(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        if (throughTrustedProxy(request)) {
            String value = request.getHeaders().get(settings.clientIpHeader());
            if (value != null && !value.isBlank()) {
                String[] hops = value.split(",");
                return hops[hops.length - 1].strip();
            }
        }
        return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    }

    /** Whether the request came through the configured proxy, so that its forwarding headers may be believed. */
    public boolean throughTrustedProxy(HttpRequest<?> request) {
        String header = settings.clientIpHeader();
        if (header == null || header.isBlank()) {
            return false;
        }
        InetSocketAddress peer = request.getRemoteAddress();
        return trustedProxies.any() || (peer.getAddress() != null && trustedProxies.contains(peer.getAddress()));
    }

    /** Why a new socket from this address is refused right now, or null when it may open one. */
    @Nullable
    public String refuseConnect(String address) {
        Client client = clients.computeIfAbsent(address, a -> new Client());
        if (client.sockets.get() >= settings.socketsPerIp()) {
            return "too many open sockets from " + address + " (at most " + settings.socketsPerIp() + ")";
        }
        if (!client.connects.tryTake()) {
            return "too many new sockets from " + address + " (at most " + settings.connectsPerSecond() + "/s)";
        }
        return null;
    }

    public void opened(String address) {
        clients.computeIfAbsent(address, a -> new Client()).sockets.incrementAndGet();
    }

    public void closed(String address) {
        Client client = clients.get(address);
        if (client != null) {
            client.sockets.decrementAndGet();
        }
    }

    /** Forgets addresses that hold no socket and whose connect budget is whole again: memory stays bounded. */
    @Scheduled(fixedDelay = "30s")
    void forgetIdleClients() {
        clients.entrySet().removeIf(e -> e.getValue().sockets.get() <= 0 && e.getValue().connects.isFull());
    }
}
