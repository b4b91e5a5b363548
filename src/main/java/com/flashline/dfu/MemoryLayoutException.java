package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** A DfuSe memory-layout string could not be parsed; the message quotes the string and the position. */
public class MemoryLayoutException extends DfuException {

    private final String layout;
    private final int position;

    public MemoryLayoutException(String problem, String layout, int position) {
        super("bad memory layout \"" + layout + "\" at character " + position + ": " + problem);
        this.layout = layout;
        this.position = position;
    }

    public String layout() {
        return layout;
    }

    public int position() {
        return position;
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DFU_BAD_LAYOUT;
    }
}
