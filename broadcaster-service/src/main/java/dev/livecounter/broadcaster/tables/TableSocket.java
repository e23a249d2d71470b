package dev.livecounter.broadcaster.tables;

import io.netty.channel.Channel;

/** A socket as its table subscriptions see it: which it is, where its frames go, whose limits it draws on. */
public interface TableSocket {

    /** The socket's connection id, unique per socket. */
    String connectionId();

    /** Its Netty channel, where frames encoded once are written. */
    Channel channel();

    /** The client address its limits are counted against. */
    String address();
}
