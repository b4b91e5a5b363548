package com.flashline.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/** Hands a queued job to the {@link JobDispatcher} only once its row is committed. */
@Component
class JobDispatchBridge {

    private static final Logger log = LoggerFactory.getLogger(JobDispatchBridge.class);

    private final ObjectProvider<JobDispatcher> dispatcher;
    /** Looked up once found: resolving the provider is a bean-factory search on every job queued. */
    private volatile JobDispatcher resolved;

    JobDispatchBridge(ObjectProvider<JobDispatcher> dispatcher) {
        this.dispatcher = dispatcher;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(JobQueuedEvent event) {
        JobDispatcher target = resolved;
        if (target == null) {
            target = dispatcher.getIfAvailable();
            resolved = target;
        }
        if (target == null) {
            log.warn("job {} on port {} is queued but no JobDispatcher is running", event.job().jobId(),
                    event.job().port());
            return;
        }
        target.dispatch(event.job());
    }
}
