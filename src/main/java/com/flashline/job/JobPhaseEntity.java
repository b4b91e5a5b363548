package com.flashline.job;

import com.flashline.flashing.Phase;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.io.Serializable;
import org.springframework.data.domain.Persistable;

/**
 * One finished phase of one attempt of a job. Rows are only ever inserted; {@link Persistable}
 * tells Spring Data so, since with an assigned key it would otherwise SELECT before every insert
 * (merge) to find out whether the row exists.
 */
@Entity
@Table(name = "job_phase")
class JobPhaseEntity implements Persistable<JobPhaseEntity.Key> {

    @Embeddable
    record Key(long jobId, int seq) implements Serializable {
    }

    @EmbeddedId
    private Key key;
    private int attempt;
    @Enumerated(EnumType.STRING)
    private Phase name;
    private long durationMs;
    @Transient
    private boolean stored;

    protected JobPhaseEntity() {
    }

    JobPhaseEntity(long jobId, int seq, int attempt, Phase name, long durationMs) {
        this.key = new Key(jobId, seq);
        this.attempt = attempt;
        this.name = name;
        this.durationMs = durationMs;
    }

    @Override
    public Key getId() {
        return key;
    }

    @Override
    public boolean isNew() {
        return !stored;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        stored = true;
    }

    long jobId() {
        return key.jobId();
    }

    JobView.PhaseTiming toTiming() {
        return new JobView.PhaseTiming(name, attempt, durationMs);
    }
}
