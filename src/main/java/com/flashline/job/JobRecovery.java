package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.config.FlashLineProperties;
import java.time.Clock;
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
    static final String ERROR_CODE = "INTERRUPTED";

    private final JobRepository jobs;
    private final FirmwareCatalog firmware;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final String stationId;
    private final Clock clock;

    JobRecovery(JobRepository jobs, FirmwareCatalog firmware, AuditLog auditLog,
            PlatformTransactionManager transactionManager, FlashLineProperties properties, Clock clock) {
        this.jobs = jobs;
        this.firmware = firmware;
        this.auditLog = auditLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.stationId = properties.station().id();
        this.clock = clock;
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
            List<JobEntity> stranded = jobs.findByStationIdAndStateInOrderById(stationId, JobService.LIVE);
            for (JobEntity job : stranded) {
                JobState before = job.state();
                job.error(ERROR_CODE, "the service stopped while the job was " + before
                        + (job.phase() != null ? " in phase " + job.phase() : ""), null);
                job.finish(JobState.INTERRUPTED, clock.instant(), job.bytesDone(), job.bytesTotal());
                jobs.flush();
                auditLog.append(JobAudit.entry(AuditType.JOB_INTERRUPTED, job,
                        firmware.find(job.firmwareId()).map(Firmware::version).orElse(null), Actor.SYSTEM));
            }
            return stranded.size();
        });
        return count == null ? 0 : count;
    }
}
