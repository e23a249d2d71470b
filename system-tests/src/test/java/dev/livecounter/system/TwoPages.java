package dev.livecounter.system;

/**
 * Two pages of a new counter, one on each broadcaster replica, both counted: a change made through one must reach
 * the other across replicas.
 *
 * @param counter its name
 * @param watcher the page on replica 0
 * @param presser the page on replica 1
 */
record TwoPages(String counter, PageClient watcher, PageClient presser) implements AutoCloseable {

    /** Opens both on a new counter named after {@code prefix}, and waits until the watcher sees both online. */
    static TwoPages open(String prefix) {
        String counter = LiveSystem.uniqueCounter(prefix);
        TwoPages pages = new TwoPages(counter, PageClient.open(LiveSystem.replica(0), counter, null),
                PageClient.open(LiveSystem.replica(1), counter, null));
        pages.watcher.awaitCount(c -> c.online() == 2);
        return pages;
    }

    @Override
    public void close() {
        try (watcher; presser) {
            // both closed, the presser first
        }
    }
}
