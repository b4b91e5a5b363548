package com.flashline.station;

import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Settings read once from the database and kept until a transaction that changes them ends.
 * Every board that arrives and every poll of {@code GET /ports} needs the station's settings,
 * which change a few times a year. Only this station writes its own settings, so dropping the
 * value when its own writing transaction completes is enough. A load that overlapped such a
 * write may have read the old row, so it is used once but not kept.
 */
final class CommittedSettingsCache<T> {

    private T value;
    private long generation;

    T get(Supplier<T> load) {
        long seen;
        synchronized (this) {
            if (value != null) {
                return value;
            }
            seen = generation;
        }
        T loaded = load.get();
        boolean insideWrite = TransactionSynchronizationManager.isActualTransactionActive()
                && !TransactionSynchronizationManager.isCurrentTransactionReadOnly();
        if (!insideWrite) {
            synchronized (this) {
                if (generation == seen) {
                    value = loaded;
                }
            }
        }
        return loaded;
    }

    /** To be called inside the transaction that changes the settings: drops the value now and when it ends. */
    void invalidateWhenCommitted() {
        invalidate();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    invalidate();
                }
            });
        }
    }

    private synchronized void invalidate() {
        value = null;
        generation++;
    }
}
