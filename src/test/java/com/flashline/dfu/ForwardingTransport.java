package com.flashline.dfu;

import java.time.Duration;
import java.util.List;

/** Passes everything to another transport; tests override single methods to inject behaviour. */
public class ForwardingTransport implements DfuTransport {

    private final DfuTransport delegate;

    public ForwardingTransport(DfuTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public UsbDeviceInfo deviceInfo() {
        return delegate.deviceInfo();
    }

    @Override
    public List<DfuAltSetting> altSettings() {
        return delegate.altSettings();
    }

    @Override
    public DfuFunctionalDescriptor functionalDescriptor() {
        return delegate.functionalDescriptor();
    }

    @Override
    public void selectAltSetting(int alternateSetting) {
        delegate.selectAltSetting(alternateSetting);
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
        delegate.controlOut(setup, data, timeout);
    }

    @Override
    public byte[] controlIn(ControlSetup setup, Duration timeout) {
        return delegate.controlIn(setup, timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
