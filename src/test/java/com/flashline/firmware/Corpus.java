package com.flashline.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads files of the real-tool corpus in src/test/resources/firmware (see make-corpus.sh there). */
final class Corpus {

    private Corpus() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/firmware/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FirmwareImage read(String name) {
        return FirmwareReader.read(bytes(name), name, ReadOptions.defaults());
    }

    static FirmwareImage read(String name, ReadOptions options) {
        return FirmwareReader.read(bytes(name), name, options);
    }
}
