package com.flashline.job;

import com.flashline.config.FlashLineProperties;
import com.flashline.job.JobTransitions.Ending;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, jobs of this station that a crash left QUEUED or RUNNING become INTERRUPTED, each
 * with a JOB_INTERRUPTED audit record. Runs while the context starts, before {@link JobService}
 * exists, so no job of this run can be caught by it. Other stations' jobs on a shared database
 * are left alone.
 */
@Component
class JobRecovery implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(JobRecovery.class);

    private final JobRepository jobs;
    private final JobTransitions transitions;
    private final TransactionTemplate transactions;
    private final String stationId;

    JobRecovery(JobRepository jobs, JobTransitions transitions, PlatformTransactionManager transactionManager,
            FlashLineProperties properties) {
        this.jobs = jobs;
        this.transitions = transitions;
        this.transactions = new TransactionTemplate(transactionManager);
        this.stationId = properties.station().id();
    }

    @Override
    public void afterPropertiesSet() {
        int recovered = recover();
        if (recovered > 0) {
            log.warn("{} job(s) of station {} were left QUEUED or RUNNING by the previous run; marked INTERRUPTED",
                    recovered, stationId);
        }
    }

    /** @return how many jobs were marked INTERRUPTED */
    int recover() {
        Integer count = transactions.execute(status -> {
            List<JobEntity> stranded = jobs.findByStationIdAndStateInOrderById(stationId, JobState.LIVE);
            for (JobEntity job : stranded) {
                transitions.end(job, Ending.interrupted("the service stopped while the job was " + job.state()
                        + (job.phase() != null ? " in phase " + job.phase() : "")));
            }
            return stranded.size();
        });
        return count == null ? 0 : count;
    }
}
