package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.usb.PortPath;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Flashing jobs: queue, follow, cancel")
class JobController {

    private final JobService jobs;
    private final PassedBoardLatch latch;

    JobController(JobService jobs, PassedBoardLatch latch) {
        this.jobs = jobs;
        this.latch = latch;
    }

    /** Body of {@code POST /api/v1/jobs}; without {@code recipeId} the port's recipe is used. */
    record CreateJobRequest(
            @NotBlank @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID) String port,
            @Positive Long recipeId) {
    }

    @Operation(summary = "Queue a job for the device on a port (202; follow it with GET /jobs/{id}); also for a board that already passed there")
    @PostMapping
    ResponseEntity<JobView> create(@Valid @RequestBody CreateJobRequest request, Actor actor) {
        // An operator asking for a job is the decision "flash this board", even one that just passed.
        latch.release(request.port());
        JobView job = jobs.enqueue(request.port(), request.recipeId(), actor);
        return ResponseEntity.accepted().location(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @Operation(summary = "Jobs of all stations, newest first, filtered and paged")
    @GetMapping
    JobPage search(@RequestParam(required = false) JobState state,
                   @RequestParam(required = false) @Pattern(regexp = PortPath.REGEX, message = PortPath.INVALID)
                   String port,
                   @RequestParam(required = false) @Size(max = 100) String usbSerial,
                   @RequestParam(required = false) @Size(max = 100) String serialNumber,
                   @RequestParam(required = false) Instant from,
                   @RequestParam(required = false) Instant to,
                   @RequestParam(required = false) @Size(max = 64) String workOrder,
                   @RequestParam(defaultValue = "0") @Min(0) int page,
                   @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return jobs.search(new JobFilter(state, port, usbSerial, serialNumber, from, to, workOrder), page, size);
    }

    @Operation(summary = "One job, with live progress while it runs")
    @GetMapping("/{id}")
    JobView get(@PathVariable long id) {
        return jobs.get(id);
    }

    @Operation(summary = "Cancel a queued or running job (202; a running job stops at its next check)")
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobView> cancel(@PathVariable long id, Actor actor) {
        return ResponseEntity.accepted().body(jobs.cancel(id, actor));
    }
}
