package com.flashline.worker;

import com.flashline.catalog.FirmwareImages;
import com.flashline.config.FlashLineProperties;
import com.flashline.database.DatabaseGate;
import com.flashline.device.DeviceSources;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.flashing.ChipCatalog;
import com.flashline.flashing.FlashPipeline;
import com.flashline.rom.RomTable;
import com.flashline.job.JobRecorder;
import com.flashline.job.JobService;
import com.flashline.job.PassedBoardLatch;
import com.flashline.serial.SerialAllocator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(DeviceSources.ANY_ENABLED)
class WorkerSetup {

    /**
     * The pipeline, its engine polling each ROM as the ROM table or the station's poll-policy setting
     * says. The engine's timeouts are {@link DfuOptions#defaults()} unless the context holds its own
     * {@code DfuOptions} (a test station on virtual time widens them).
     */
    @Bean
    FlashPipeline flashPipeline(DfuClock dfuClock, FlashLineProperties properties,
            ObjectProvider<DfuOptions> engineOptions) {
        RomTable roms = RomTable.standard();
        FlashLineProperties.Dfu dfu = properties.dfu();
        DfuOptions options = engineOptions.getIfAvailable(DfuOptions::defaults)
                .withPollPolicies(roms.pollPolicies(dfu.pollPolicy(), dfu.pollPolicyByFamily()));
        return new FlashPipeline(dfuClock, options, new ChipCatalog(roms), dfu.reenumerationTimeout());
    }

    @Bean
    FlashRequests flashRequests(FirmwareImages images, SerialAllocator serials) {
        return new FlashRequests(images, serials);
    }

    @Bean
    WorkerMetrics workerMetrics(MeterRegistry meters) {
        return new WorkerMetrics(meters);
    }

    @Bean
    JobRunner jobRunner(JobService jobs, JobRecorder recorder, FlashRequests requests, FlashPipeline pipeline,
            DeviceSources sources, PassedBoardLatch latch, WorkerMetrics metrics, FlashLineProperties properties,
            DatabaseGate database) {
        return new JobRunner(jobs, recorder, requests, pipeline, sources, latch, metrics,
                properties.jobs().maxAttempts(), database);
    }

    @Bean
    WorkerPool workerPool(JobRunner runner, FlashLineProperties properties, MeterRegistry meters) {
        return new WorkerPool(runner, properties.workers(), meters);
    }
}
