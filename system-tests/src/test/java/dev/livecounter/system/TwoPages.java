package dev.livecounter.system;

/**
 * Two pages of one counter, one on each broadcaster replica, both counted: a change made through one must reach
 * the other across replicas.
 *
 * @param watcher the page on replica 0
 * @param presser the page on replica 1
 */
record TwoPages(PageClient watcher, PageClient presser) implements AutoCloseable {

    /** Opens both and waits until the watcher sees both online. */
    static TwoPages open(String counter) {
        TwoPages pages = new TwoPages(PageClient.open(LiveSystem.replica(0), counter, null),
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
