package dev.livecounter.broadcaster.limits;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The peers whose forwarded client address is believed: CIDR blocks such as {@code 10.0.0.0/8} or {@code fd00::/8}.
 * A client reaching a pod around the ingress (port-forward, another pod) sets any header it likes; only the proxy's
 * own hop may name the client.
 */
final class TrustedProxies {

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).not();
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Block> blocks;

    /** Parses the blocks; a malformed one fails start-up with its text. */
    TrustedProxies(List<String> cidrs) {
        this.blocks = cidrs.stream().filter(c -> !c.isBlank()).map(TrustedProxies::parse).toList();
    }

    /** No blocks configured: every peer's header is believed (a proxy in front of every path is assumed). */
    boolean any() {
        return blocks.isEmpty();
    }

    boolean contains(InetAddress peer) {
        byte[] address = peer.getAddress();
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    private static Block parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        try {
            // only literal addresses: a host name here would be a DNS lookup at start-up, not an address block
            if (!text.matches("[0-9A-Fa-f:.]+(/\\d{1,3})?")) {
                throw new IllegalArgumentException("not an address block: " + cidr);
            }
            byte[] network = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash)).getAddress();
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix too long: " + cidr);
            }
            return new Block(network, prefix);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("livecounter.limits.trusted-proxies: not an address block: " + cidr, e);
        }
    }
}
