package com.flashline.dfu;

/**
 * A control transfer did not complete. Subclasses name the outcome the engine must tell apart:
 * the device is gone, the device stalled the request, the transfer timed out, or some other I/O
 * failure.
 */
public abstract class TransportException extends DfuException {

    private final ControlSetup setup;

    protected TransportException(String message, ControlSetup setup, Throwable cause) {
        super(message + (setup == null ? "" : " (" + describe(setup) + ")"),
                setup == null ? null : DfuRequest.fromCode(setup.bRequest()), null, null, cause);
        this.setup = setup;
    }

    /** The SETUP packet of the failed transfer, or {@code null} for failures outside a transfer. */
    public ControlSetup setup() {
        return setup;
    }

    private static String describe(ControlSetup setup) {
        DfuRequest r = DfuRequest.fromCode(setup.bRequest());
        return (r == null ? "request " + setup.bRequest() : r.name()) + " wValue=" + setup.wValue()
                + " wLength=" + setup.wLength();
    }
}
