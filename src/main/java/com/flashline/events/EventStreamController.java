package com.flashline.events;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Events", description = "Live port, job and station changes as Server-Sent Events")
class EventStreamController {

    private final EventStream stream;

    EventStreamController(EventStream stream) {
        this.stream = stream;
    }

    @Operation(summary = "Stream of port, job and station events: a snapshot on connect, then every change")
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        return stream.connect();
    }
}
