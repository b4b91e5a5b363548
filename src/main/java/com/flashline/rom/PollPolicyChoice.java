package com.flashline.rom;

/** What the station's {@code flashline.dfu.poll-policy} setting asks for, for all ROMs or one family. */
public enum PollPolicyChoice {
    /** As the ROM behaviour table says for the ROM (the default). */
    ROM_TABLE,
    /** DFU 1.1 as written: never poll before the reported bwPollTimeout, whatever the ROM. */
    SPEC_LITERAL
}
