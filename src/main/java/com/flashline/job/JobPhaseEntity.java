package com.flashline.job;

import com.flashline.flashing.Phase;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;

/** One finished phase of one attempt of a job. */
@Entity
@Table(name = "job_phase")
class JobPhaseEntity {

    @Embeddable
    record Key(long jobId, int seq) implements Serializable {
    }

    @EmbeddedId
    private Key key;
    private int attempt;
    @Enumerated(EnumType.STRING)
    private Phase name;
    private long durationMs;

    protected JobPhaseEntity() {
    }

    JobPhaseEntity(long jobId, int seq, int attempt, Phase name, long durationMs) {
        this.key = new Key(jobId, seq);
        this.attempt = attempt;
        this.name = name;
        this.durationMs = durationMs;
    }

    long jobId() {
        return key.jobId();
    }

    JobView.PhaseTiming toTiming() {
        return new JobView.PhaseTiming(name, attempt, durationMs);
    }
}
