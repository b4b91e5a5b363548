package com.flashline.events;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One connected client: a bounded queue of events (each built once and shared by every client:
 * an {@code SseEventBuilder} may not be, its {@code build()} appends) and a thread of its own that
 * writes them. Only
 * the sender thread touches the emitter after the start, so an offer never waits on the network;
 * a client whose queue overflows is closed and its sender ends the response.
 */
final class StreamClient {

    private static final Logger log = LoggerFactory.getLogger(StreamClient.class);

    private final SseEmitter emitter;
    private final BlockingQueue<Set<ResponseBodyEmitter.DataWithMediaType>> queue;
    private final Consumer<StreamClient> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();

    StreamClient(SseEmitter emitter, int capacity, Consumer<StreamClient> onClosed) {
        this.emitter = emitter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClosed = onClosed;
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
        emitter.onError(error -> close());
    }

    void start(String name) {
        Thread sender = new Thread(this::sendLoop, name);
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues an event without waiting; false (and the client closed) when its queue is full. */
    boolean offer(Set<ResponseBodyEmitter.DataWithMediaType> event) {
        if (closed.get()) {
            return false;
        }
        if (!queue.offer(event)) {
            log.info("event stream client dropped: {} events unsent", queue.size());
            close();
            return false;
        }
        return true;
    }

    boolean closed() {
        return closed.get();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            onClosed.accept(this);
        }
    }

    private void sendLoop() {
        try {
            while (!closed.get()) {
                Set<ResponseBodyEmitter.DataWithMediaType> event = queue.poll(1, TimeUnit.SECONDS);
                if (event != null) {
                    emitter.send(event);
                }
            }
            emitter.complete();
        } catch (IOException | IllegalStateException gone) {
            close();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            close();
        }
    }
}
