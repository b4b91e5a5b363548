package com.flashline.job;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * Spring Data's fragment for {@link JobRowLock}: the entity manager's own load by id with the lock
 * rather than a {@code @Query} with {@code @Lock}. Same statement, but the query path (Spring Data's
 * query method, Hibernate's query interpretation and binding) was the largest part of a job's
 * ending, which 32 jobs of a batch run within a few hundred milliseconds (docs/reliability.md,
 * "Evening of 2026-12-03").
 */
class JobRowLockImpl implements JobRowLock {

    @PersistenceContext
    private EntityManager entityManager;

    @Override
    public Optional<JobEntity> findByIdForUpdate(long id) {
        return Optional.ofNullable(entityManager.find(JobEntity.class, id, LockModeType.PESSIMISTIC_WRITE));
    }
}
