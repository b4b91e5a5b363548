package com.flashline.usb.emulation;


import com.flashline.support.Prerequisites;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh umockdev bridge for each test, closed after it; the test is skipped with the reason
 * where the bridge cannot run. Register it with {@code @RegisterExtension}.
 */
public final class EmulatedBus implements BeforeEachCallback, AfterEachCallback {

    private UmockdevBridge bridge;

    /** The running bridge of the current test. */
    public UmockdevBridge bridge() {
        return bridge;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        bridge = UmockdevBridge.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }
}
