#!/usr/bin/python3
"""Thin usbdevfs plumbing between a umockdev testbed and the Java UmockdevBridge.

Run under umockdev-wrapper (hotplug uevents reach libusb clients only then). The Java side owns
every device behaviour: this script builds sysfs entries from the descriptors Java sends, turns
usbdevfs ioctls into frames for Java and completes URBs with Java's answers. Protocol: see
UmockdevBridge.java (frames on stdin/stdout: u32 big-endian length, then a one-byte type).
"""
import errno
import os
import struct
import sys

import gi

gi.require_version('UMockdev', '1.0')
from gi.repository import GLib, UMockdev  # noqa: E402


def _ioc(direction, nr, size):
    return (direction << 30) | (size << 16) | (ord('U') << 8) | nr


_W, _R = 1, 2  # _IOC_WRITE, _IOC_READ
SETINTERFACE = _ioc(_R, 4, 8)
SETCONFIGURATION = _ioc(_R, 5, 4)
GETDRIVER = _ioc(_W, 8, 260)
SUBMITURB = _ioc(_R, 10, 56)
DISCARDURB = _ioc(0, 11, 0)
REAPURB = _ioc(_W, 12, 8)
REAPURBNDELAY = _ioc(_W, 13, 8)
CLAIMINTERFACE = _ioc(_R, 15, 4)
RELEASEINTERFACE = _ioc(_R, 16, 4)
CONNECTINFO = _ioc(_W, 17, 8)
USBDEVFS_IOCTL = _ioc(_R | _W, 18, 16)
RESET = _ioc(0, 20, 0)
CLEAR_HALT = _ioc(_R, 21, 4)
GET_CAPABILITIES = _ioc(_R, 26, 4)
DISCONNECT_CLAIM = _ioc(_R, 27, 264)

URB_TYPE_CONTROL = 2
URB_SIZE = 56
# Capabilities a full-speed device behind an EHCI/xHCI port would report: zero-length packets,
# bulk continuation, no packet size limit, bulk scatter-gather.
CAPABILITIES = 0x1 | 0x2 | 0x4 | 0x8

# Java -> python
ADD, REMOVE, DONE, SHUTDOWN = 0x01, 0x02, 0x03, 0x04
# python -> Java
READY, ADDED, REMOVED, URB, SET_INTERFACE, FAILED = 0x80, 0x81, 0x82, 0x10, 0x11, 0x8F

PCI_ROOT = '/devices/pci0000:00/0000:00:14.0'

protocol_out = os.fdopen(os.dup(1), 'wb', buffering=0)
os.dup2(2, 1)  # stray prints must never corrupt the frame stream


def log(*parts):
    print('dfu_bridge:', *parts, file=sys.stderr, flush=True)


def send(frame_type, payload=b''):
    body = bytes([frame_type]) + payload
    protocol_out.write(struct.pack('>I', len(body)) + body)


def pack_str(s):
    b = s.encode('utf-8')
    return struct.pack('>H', len(b)) + b


def pack_bytes(b):
    return struct.pack('>I', len(b)) + b


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def u8(self):
        self.at += 1
        return self.data[self.at - 1]

    def u16(self):
        self.at += 2
        return struct.unpack_from('>H', self.data, self.at - 2)[0]

    def u32(self):
        self.at += 4
        return struct.unpack_from('>I', self.data, self.at - 4)[0]

    def i32(self):
        self.at += 4
        return struct.unpack_from('>i', self.data, self.at - 4)[0]

    def str(self):
        n = self.u16()
        self.at += n
        return self.data[self.at - n:self.at].decode('utf-8')

    def bytes(self):
        n = self.u32()
        self.at += n
        return self.data[self.at - n:self.at]


class Urb:
    """One submitted control URB of one client, waiting for Java's answer and then for REAPURB."""

    def __init__(self, urb_id, client, address, urb_data, buffer_data, setup, endpoint):
        self.urb_id, self.client, self.address = urb_id, client, address
        self.urb_data, self.buffer_data = urb_data, buffer_data
        self.setup, self.endpoint = setup, endpoint
        self.status, self.answer = None, b''

    def finish(self, status, answer=b''):
        self.status, self.answer = status, answer

    def write_back(self):
        device_to_host = self.setup[0] & 0x80
        if self.answer and device_to_host:
            self.buffer_data.update(8, self.answer)
        self.urb_data.update(4, struct.pack('<i', self.status))
        if device_to_host:
            actual = len(self.answer)
        else:
            actual = 0 if self.status else struct.unpack_from('<H', self.setup, 6)[0]
        self.urb_data.update(28, struct.pack('<i', actual))


class Device:
    def __init__(self, port_path, syspath, devnode, busnum, devnum):
        self.port_path, self.syspath, self.devnode = port_path, syspath, devnode
        self.busnum, self.devnum = busnum, devnum
        self.gone = False
        self.urbs = {}  # urb id -> Urb, submitted and not yet reaped
        self.handler = UMockdev.IoctlBase()
        self.handler.connect('handle-ioctl', self.handle_ioctl)

    def reapable(self, client):
        for urb in self.urbs.values():
            if urb.client == client and urb.status is not None:
                return urb
        return None

    def unplug(self):
        self.gone = True
        for urb in self.urbs.values():
            if urb.status is None:
                urb.finish(-errno.ESHUTDOWN)

    def handle_ioctl(self, handler, client):
        try:
            return self.dispatch(client, client.get_request(), client.get_arg())
        except Exception as e:  # a broken handler must not freeze the client
            log('ioctl %x on %s failed: %r' % (client.get_request(), self.port_path, e))
            client.complete(-1, errno.EIO)
            return True

    def dispatch(self, client, request, arg):
        if request in (REAPURB, REAPURBNDELAY):
            urb = self.reapable(client)
            if urb is None:
                client.complete(-1, errno.ENODEV if self.gone else errno.EAGAIN)
                return True
            del self.urbs[urb.urb_id]
            urb.write_back()
            arg.resolve(0, 8).set_ptr(0, urb.urb_data)
            client.complete(0, 0)
            return True
        if self.gone:
            client.complete(-1, errno.ENODEV)
            return True
        if request == SUBMITURB:
            return self.submit(client, arg)
        if request == DISCARDURB:
            address = struct.unpack('<Q', bytes(arg.retrieve())[:8])[0]
            for urb in self.urbs.values():
                if urb.client == client and urb.address == address and urb.status is None:
                    urb.finish(-errno.ENOENT)
                    client.complete(0, 0)
                    return True
            client.complete(-1, errno.EINVAL)
            return True
        if request == SETINTERFACE:
            interface, alt = struct.unpack('<II', bytes(arg.resolve(0, 8).retrieve()))
            state.ioctl_waiting[state.next_id()] = client
            send(SET_INTERFACE, struct.pack('>I', state.last_id) + pack_str(self.port_path)
                 + struct.pack('>HH', interface, alt))
            return True  # completed when Java answers
        if request == GET_CAPABILITIES:
            arg.resolve(0, 4).update(0, struct.pack('<I', CAPABILITIES))
            client.complete(0, 0)
            return True
        if request == CONNECTINFO:
            arg.resolve(0, 8).update(0, struct.pack('<IB', self.devnum, 0))
            client.complete(0, 0)
            return True
        if request in (GETDRIVER, USBDEVFS_IOCTL):  # no kernel driver is ever bound
            client.complete(-1, errno.ENODATA)
            return True
        if request in (CLAIMINTERFACE, RELEASEINTERFACE, SETCONFIGURATION, RESET, CLEAR_HALT,
                       DISCONNECT_CLAIM):
            client.complete(0, 0)
            return True
        log('unhandled ioctl %x on %s' % (request, self.port_path))
        client.complete(-1, errno.ENOTTY)
        return True

    def submit(self, client, arg):
        address = struct.unpack('<Q', bytes(arg.retrieve())[:8])[0]
        urb_data = arg.resolve(0, URB_SIZE)
        raw = bytes(urb_data.retrieve())
        urb_type, endpoint = raw[0], raw[1]
        length = struct.unpack_from('<i', raw, 24)[0]
        if urb_type != URB_TYPE_CONTROL or length < 8:
            client.complete(-1, errno.EINVAL)
            return True
        buffer_data = urb_data.resolve(16, length)
        buffer = bytes(buffer_data.retrieve())
        urb = Urb(state.next_id(), client, address, urb_data, buffer_data, buffer[:8], endpoint)
        self.urbs[urb.urb_id] = urb
        state.urb_owner[urb.urb_id] = self
        out_data = b'' if buffer[0] & 0x80 else buffer[8:]
        send(URB, struct.pack('>I', urb.urb_id) + pack_str(self.port_path)
             + bytes([endpoint]) + buffer[:8] + pack_bytes(out_data))
        client.complete(0, 0)
        return True


class State:
    def __init__(self):
        self.testbed = UMockdev.Testbed.new()
        self.devices = {}   # port path -> Device (plugged)
        self.hubs = {}      # sysfs name -> devnum
        self.next_devnum = {}
        self.urb_owner = {}
        self.ioctl_waiting = {}
        self.attached = {}  # device node -> Device whose ioctl handler is attached (plugged or removed)
        self.last_id = 0
        self.inbox = b''

    def next_id(self):
        self.last_id += 1
        return self.last_id

    def allocate_devnum(self, bus):
        # As a hub does: the next address after the last one given, wrapping after 127, never one
        # that a device on the bus still has (the other device plugged for the whole session, a
        # hub, a board that sits there). Before, the 126th plug reused address 2 of the device
        # plugged for the whole session: umockdev aborted the bridge (one handler per node) and
        # every client of the bus read EOF on its ioctl socket and was killed by the preload.
        in_use = {d.devnum for d in self.devices.values() if d.busnum == bus} | set(self.hubs.values())
        devnum = self.next_devnum.get(bus, 2)
        for _ in range(126):
            if devnum not in in_use:
                break
            devnum = devnum + 1 if devnum < 127 else 2
        else:
            raise RuntimeError('no free device address on bus %d' % bus)
        self.next_devnum[bus] = devnum + 1 if devnum < 127 else 2
        return devnum


state = None


def sysfs_chain(port_path):
    """'1-4.2' -> bus 1, ['usb1', '1-4', '1-4.2'] (sysfs names of the root hub and each hop)."""
    bus_text, _, ports = port_path.partition('-')
    if not bus_text.isdigit() or not ports or not all(p.isdigit() for p in ports.split('.')):
        raise ValueError('bad port path %r' % port_path)
    hops = ports.split('.')
    names = ['usb' + bus_text] + [bus_text + '-' + '.'.join(hops[:i + 1]) for i in range(len(hops))]
    return int(bus_text), names


def sysfs_path(names):
    return PCI_ROOT + '/' + '/'.join(names)


def add_node(path, bus, devnum, descriptors, speed):
    vid, pid, bcd = struct.unpack_from('<HHH', descriptors, 8)
    devname = 'bus/usb/%03d/%03d' % (bus, devnum)
    record = ('P: %s\nN: %s\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: BUSNUM=%03d\nE: DEVNUM=%03d\n'
              'E: DEVNAME=/dev/%s\nE: PRODUCT=%x/%x/%x\n'
              'A: busnum=%d\nA: devnum=%d\nA: devpath=%s\nA: speed=%s\nA: idVendor=%04x\nA: idProduct=%04x\n'
              'A: bcdDevice=%04x\nA: bConfigurationValue=1\nA: bNumConfigurations=1\nA: maxchild=%d\n'
              'H: descriptors=%s\n') % (
        path, devname, bus, devnum, devname, vid, pid, bcd, bus, devnum,
        path.rsplit('/', 1)[1].partition('-')[2] or '0', speed, vid, pid, bcd,
        7 if descriptors[4] == 9 else 0, descriptors.hex().upper())
    if not state.testbed.add_from_string(record):
        raise RuntimeError('umockdev refused device ' + path)
    return '/dev/' + devname


def hub_descriptors(root):
    device = struct.pack('<BBHBBBBHHHBBBB', 18, 1, 0x200, 9, 0, 1 if root else 2, 64,
                         0x1D6B if root else 0x05E3, 0x0002 if root else 0x0608, 0x0100, 0, 0, 0, 1)
    interface = struct.pack('<BBBBBBBBB', 9, 4, 0, 0, 1, 9, 0, 0, 0)
    endpoint = struct.pack('<BBBBHB', 7, 5, 0x81, 3, 4, 12)
    config = struct.pack('<BBHBBBBB', 9, 2, 25, 1, 1, 0, 0xE0, 0) + interface + endpoint
    return device + config


def handle_add(r):
    request_id, port_path = r.u32(), r.str()
    speed, descriptors = r.str(), r.bytes()
    if port_path in state.devices:
        raise ValueError('port %s already has a device' % port_path)
    bus, names = sysfs_chain(port_path)
    for depth, name in enumerate(names[:-1]):
        if name not in state.hubs:
            devnum = 1 if depth == 0 else state.allocate_devnum(bus)
            add_node(sysfs_path(names[:depth + 1]), bus, devnum, hub_descriptors(depth == 0), '480')
            state.hubs[name] = devnum
    devnum = state.allocate_devnum(bus)
    syspath = sysfs_path(names)
    devnode = '/dev/bus/usb/%03d/%03d' % (bus, devnum)
    device = Device(port_path, '/sys' + syspath, devnode, bus, devnum)
    # A removed device keeps its handler (a client may still hold its node open and must read
    # ENODEV, not EOF) until its address is given out again, long after every client closed it.
    if state.attached.pop(devnode, None) is not None:
        state.testbed.detach_ioctl(devnode)
    # The ioctl handler must be in place before the add uevent: a client reacting at once would
    # otherwise open a node nobody answers.
    if not state.testbed.attach_ioctl(devnode, device.handler):
        raise RuntimeError('umockdev refused an ioctl handler for ' + devnode)
    add_node(syspath, bus, devnum, descriptors, speed)
    state.devices[port_path] = device
    state.attached[devnode] = device
    send(ADDED, struct.pack('>I', request_id) + pack_str(port_path) + struct.pack('>HH', bus, devnum)
         + pack_str(device.syspath) + pack_str(device.devnode))


def handle_remove(r):
    request_id, port_path = r.u32(), r.str()
    device = state.devices.pop(port_path, None)
    if device is None:
        raise ValueError('no device at port %s' % port_path)
    device.unplug()
    # remove_device() sends no uevent; libusb needs one carrying DEVNAME, so send it while the
    # device's uevent file still exists.
    state.testbed.uevent(device.syspath, 'remove')
    state.testbed.remove_device(device.syspath)
    send(REMOVED, struct.pack('>I', request_id) + pack_str(port_path))


def handle_done(r):
    answer_id, status, data = r.u32(), r.i32(), r.bytes()
    client = state.ioctl_waiting.pop(answer_id, None)
    if client is not None:
        client.complete(-1 if status else 0, -status)
        return
    device = state.urb_owner.pop(answer_id, None)
    urb = device.urbs.get(answer_id) if device else None
    if urb is not None and urb.status is None:  # else discarded or unplugged meanwhile
        urb.finish(status, data[:struct.unpack_from('<H', urb.setup, 6)[0]])


def on_input(fd, condition):
    chunk = os.read(fd, 65536)
    if not chunk:
        log('Java side closed the pipe, exiting')
        loop.quit()
        return False
    state.inbox += chunk
    while len(state.inbox) >= 4:
        n = struct.unpack_from('>I', state.inbox)[0]
        if len(state.inbox) < 4 + n:
            break
        frame, state.inbox = state.inbox[4:4 + n], state.inbox[4 + n:]
        r = Reader(frame)
        frame_type = r.u8()
        try:
            if frame_type == ADD:
                handle_add(r)
            elif frame_type == REMOVE:
                handle_remove(r)
            elif frame_type == DONE:
                handle_done(r)
            elif frame_type == SHUTDOWN:
                loop.quit()
                return False
            else:
                raise ValueError('unknown frame type %d' % frame_type)
        except Exception as e:
            request_id = struct.unpack_from('>I', frame, 1)[0] if len(frame) >= 5 else 0
            log('frame %d failed: %r' % (frame_type, e))
            send(FAILED, struct.pack('>I', request_id) + pack_str(repr(e)))
    return True


if __name__ == '__main__':
    state = State()
    loop = GLib.MainLoop()
    GLib.io_add_watch(0, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_input)
    send(READY, pack_str(state.testbed.get_root_dir())
         + pack_str(os.environ.get('LD_PRELOAD', 'libumockdev-preload.so.0')))
    loop.run()
