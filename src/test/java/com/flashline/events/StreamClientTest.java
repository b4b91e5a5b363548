package com.flashline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A client that does not keep up is dropped rather than waited for. */
class StreamClientTest {

    @Test
    void aClientWhoseQueueIsFullIsClosedAndTheOfferDoesNotWait() {
        AtomicInteger closed = new AtomicInteger();
        // Not started: nothing drains its queue, as with a client that stopped reading.
        StreamClient client = new StreamClient(new SseEmitter(0L), 2, c -> closed.incrementAndGet());

        assertThat(client.offer(comment("1"))).isTrue();
        assertThat(client.offer(comment("2"))).isTrue();
        assertThat(client.offer(comment("3"))).isFalse();

        assertThat(client.closed()).isTrue();
        assertThat(closed).hasValue(1);
        assertThat(client.offer(comment("4"))).isFalse();
        assertThat(closed).hasValue(1);
    }

    private static Set<ResponseBodyEmitter.DataWithMediaType> comment(String text) {
        return SseEmitter.event().comment(text).build();
    }
}
