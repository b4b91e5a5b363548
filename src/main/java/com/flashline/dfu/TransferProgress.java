package com.flashline.dfu;

/** Progress of a multi-block read or write, reported after every block. */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = (bytesDone, bytesTotal) -> { };

    void onProgress(long bytesDone, long bytesTotal);
}
