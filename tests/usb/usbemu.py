#!/usr/bin/python3
# usbemu.py - the centre's USB devices, emulated under umockdev for tests:
# a CCID smart-card reader with a virtual national identity card, a HID
# barcode scanner (bound to a pretend usbhid) and an ESC/POS receipt
# printer. The program under test runs its real libusb code against them;
# every usbfs ioctl it makes lands in a handler here.
#
#   umockdev-wrapper /usr/bin/python3 tests/usb/usbemu.py --state DIR
#
# DIR/ctl is a UNIX stream socket taking one command per line and giving
# one reply line ("ok ..." or "error ..."): see tests/usb/emuctl and
# docs/device-testing.md for the commands. DIR/env (shell assignments:
# UMOCKDEV_DIR, LD_PRELOAD) appears once the testbed is ready; DIR/log is
# the transcript of the traffic.
#
# Must never: touch anything outside DIR and its own umockdev testbed,
# outlive a "quit" or SIGTERM, or leave its testbed directory behind.
# It is a test device, not a reference: where it has to guess how real
# hardware behaves, docs/device-testing.md says so.

import argparse
import errno
import json
import os
import shutil
import signal
import socket
import struct
import sys
import threading
import time
import traceback

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import GLib, UMockdev  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PRELOAD = "libumockdev-preload.so.0"

# usbfs ioctl numbers on x86-64 (linux/usbdevice_fs.h).
SUBMITURB = 0x8038550A
REAPURB = 0x4008550C
REAPURBNDELAY = 0x4008550D
DISCARDURB = 0x550B
CLAIMINTERFACE = 0x8004550F
RELEASEINTERFACE = 0x80045510
GETDRIVER = 0x41045508
IOCTL = 0xC0105512
CONNECTINFO = 0x40085511
GET_CAPABILITIES = 0x8004551A
CONTROL = 0xC0185500
BULK = 0xC0185502
CLEAR_HALT = 0x80045515
RESET = 0x5514
SETINTERFACE = 0x80085504
SETCONFIGURATION = 0x80045505
DISCONNECT_CLAIM = 0x8108551B
GET_SPEED = 0x551F
FORBID_SUSPEND = 0x5521
ALLOW_SUSPEND = 0x5522
WAIT_FOR_RESUME = 0x5523
DROP_PRIVILEGES = 0x4004551E
IOCTL_DISCONNECT = 0x5516
IOCTL_CONNECT = 0x5517

URB_ISO, URB_INTERRUPT, URB_CONTROL, URB_BULK = 0, 1, 2, 3
# struct usbdevfs_urb (56 bytes): type u8 @0, endpoint u8 @1, status i32 @4,
# flags u32 @8, buffer ptr @16, buffer_length i32 @24, actual_length @28.
URB_SIZE = 56

# The capabilities a current kernel reports: zero packets, no packet size
# limit (one URB per transfer), reap after disconnect.
CAPS = 0x01 | 0x04 | 0x10

LOCK = threading.RLock()
EMU = None  # the one Emulator


def hx(b):
    return b.hex(" ") if b else "-"


def le16(v):
    return struct.pack("<H", v)


def le32(v):
    return struct.pack("<I", v)


# ------------------------------------------------------------------ descriptors


def dev_desc(vid, pid):
    return struct.pack(
        "<BBHBBBBHHHBBBB", 18, 1, 0x0200, 0, 0, 0, 64, vid, pid, 0x0100, 1, 2, 3, 1
    )


def config_desc(body, ninterfaces=1):
    total = 9 + len(body)
    return struct.pack("<BBHBBBBB", 9, 2, total, ninterfaces, 1, 0, 0x80, 50) + body


def iface_desc(num, nep, cls, sub, proto):
    return struct.pack("<BBBBBBBBB", 9, 4, num, 0, nep, cls, sub, proto, 0)


def ep_desc(addr, attr, maxp, interval):
    return struct.pack("<BBBBHB", 7, 5, addr, attr, maxp, interval)


def string_desc(s):
    u = s.encode("utf-16-le")
    return bytes([2 + len(u), 3]) + u


# ------------------------------------------------------------------ the log


class Log:
    """The transcript, DIR/log: one line per event, flushed at once so a
    failing test can show it."""

    def __init__(self, path):
        self.f = open(path, "a", buffering=1, encoding="utf-8")
        self.t0 = time.monotonic()

    def __call__(self, who, text):
        self.f.write("%8.3f %-8s %s\n" % (time.monotonic() - self.t0, who, text))


# ------------------------------------------------------------------ URBs


class Urb:
    __slots__ = ("client", "addr", "type", "ep", "buflen", "status", "data", "setup")

    def __init__(self, client, addr, typ, ep, buflen):
        self.client = client
        self.addr = addr
        self.type = typ
        self.ep = ep
        self.buflen = buflen
        self.status = 0
        self.data = b""  # IN: what the device sent; OUT: the count is buflen
        self.setup = b""


class Handler(UMockdev.IoctlBase):
    """The usbfs side of one plugged-in device: one per plug, so that a
    program still holding the handle of an unplugged device gets ENODEV
    while a new plug of it is a new device."""

    def __init__(self, dev, devnode):
        super().__init__()
        self.dev = dev
        self.devnode = devnode
        self.dead = False
        self.pending = {}  # endpoint -> [Urb] (IN transfers waiting for data)
        self.held = []  # OUT transfers the device does not take (a timeout fault)
        self.ready = []  # completed URBs, to be reaped
        self.inq = {}  # endpoint -> [bytes or ("stall",)]
        self.halted = set()
        self.claims = {}  # interface -> client
        self.idle = 0  # "nothing ready" answers in a row
        self.counts = {"out": 0, "in": 0, "ctl": 0}

    # -- called by umockdev, on its worker thread
    def do_handle_ioctl(self, client):
        with LOCK:
            try:
                return self.ioctl(client)
            except Exception:
                EMU.log(self.dev.name, "handler error: " + traceback.format_exc().replace("\n", " | "))
                client.complete(-1, errno.EIO)
                return True

    def do_client_vanished(self, client):
        with LOCK:
            for i in [i for i, c in self.claims.items() if c == client]:
                del self.claims[i]
            for ep in self.pending:
                self.pending[ep] = [u for u in self.pending[ep] if u.client != client]
            self.held = [u for u in self.held if u.client != client]
            self.ready = [u for u in self.ready if u.client != client]
            EMU.log(self.dev.name, "client closed the device")

    # -- the ioctls
    def ioctl(self, client):
        req = client.get_request()
        arg = client.get_arg()
        if req in (REAPURBNDELAY, REAPURB):
            return self.reap(client, arg)
        if self.dead:
            client.complete(-1, errno.ENODEV)
            return True
        self.idle = 0
        if req == SUBMITURB:
            return self.submit(client, arg)
        if req == DISCARDURB:
            addr = struct.unpack("<Q", bytes(arg.retrieve())[:8])[0]
            for ep, lst in list(self.pending.items()) + [(None, self.held)]:
                for u in lst:
                    if u.addr == addr and u.client == client:
                        lst.remove(u)
                        u.status = -errno.ENOENT
                        u.data = b""
                        self.ready.append(u)
                        EMU.log(self.dev.name, "transfer on ep %02x cancelled" % u.ep)
                        client.complete(0, 0)
                        return True
            client.complete(-1, errno.EINVAL)
            return True
        if req == CLAIMINTERFACE:
            d = arg.resolve(0, 4)
            i = struct.unpack("<I", bytes(d.retrieve()))[0]
            return self.claim(client, i)
        if req == RELEASEINTERFACE:
            d = arg.resolve(0, 4)
            i = struct.unpack("<I", bytes(d.retrieve()))[0]
            if self.claims.get(i) == client:
                del self.claims[i]
                EMU.log(self.dev.name, "interface %d released" % i)
                client.complete(0, 0)
            else:
                client.complete(-1, errno.EINVAL)
            return True
        if req == GETDRIVER:
            d = arg.resolve(0, 260)
            i = struct.unpack("<I", bytes(d.retrieve())[:4])[0]
            name = self.driver_name(i)
            if name is None:
                client.complete(-1, errno.ENODATA)
            else:
                d.update(4, name.encode() + b"\0")
                client.complete(0, 0)
            return True
        if req == IOCTL:
            d = arg.resolve(0, 16)
            ifno, code = struct.unpack("<iI", bytes(d.retrieve())[:8])
            return self.driver_ioctl(client, ifno, code)
        if req == DISCONNECT_CLAIM:
            d = arg.resolve(0, 264)
            raw = bytes(d.retrieve())
            i, flags = struct.unpack("<II", raw[:8])
            want = raw[8:].split(b"\0")[0].decode(errors="replace")
            bound = self.dev.bound.get(i)
            if bound and not ((flags & 1 and bound != want) or (flags & 2 and bound == want)):
                self.dev.bound[i] = None
                EMU.log(self.dev.name, "kernel driver %s unbound from interface %d" % (bound, i))
            return self.claim(client, i)
        if req == CLEAR_HALT:
            d = arg.resolve(0, 4)
            ep = struct.unpack("<I", bytes(d.retrieve()))[0] & 0xFF
            self.halted.discard(ep)
            EMU.log(self.dev.name, "clear halt on ep %02x" % ep)
            client.complete(0, 0)
            return True
        if req == RESET:
            EMU.log(self.dev.name, "port reset")
            self.halted.clear()
            self.dev.on_reset(self)
            client.complete(0, 0)
            return True
        if req == GET_CAPABILITIES:
            d = arg.resolve(0, 4)
            d.update(0, le32(CAPS))
            client.complete(0, 0)
            return True
        if req == CONNECTINFO:
            d = arg.resolve(0, 8)
            d.update(0, le32(self.dev.devnum) + b"\0\0\0\0")
            client.complete(0, 0)
            return True
        if req == GET_SPEED:
            client.complete(2, 0)  # USB_SPEED_FULL
            return True
        if req in (SETINTERFACE, SETCONFIGURATION, FORBID_SUSPEND, ALLOW_SUSPEND,
                   WAIT_FOR_RESUME, DROP_PRIVILEGES):
            client.complete(0, 0)
            return True
        if req == CONTROL:
            return self.sync_control(client, arg)
        EMU.log(self.dev.name, "unknown ioctl 0x%x: ENOTTY" % req)
        client.complete(-1, errno.ENOTTY)
        return True

    def claim(self, client, i):
        if i >= self.dev.ninterfaces:
            client.complete(-1, errno.EINVAL)
        elif self.dev.bound.get(i):
            EMU.log(self.dev.name, "claim of interface %d refused: %s holds it" % (i, self.dev.bound[i]))
            client.complete(-1, errno.EBUSY)
        elif self.claims.get(i) not in (None, client):
            client.complete(-1, errno.EBUSY)
        else:
            self.claims[i] = client
            EMU.log(self.dev.name, "interface %d claimed" % i)
            client.complete(0, 0)
        return True

    def driver_name(self, i):
        if i in self.claims:
            return "usbfs"
        return self.dev.bound.get(i)

    def driver_ioctl(self, client, ifno, code):
        if code == IOCTL_DISCONNECT:
            if self.dev.bound.get(ifno):
                EMU.log(self.dev.name, "kernel driver %s unbound from interface %d" % (self.dev.bound[ifno], ifno))
                self.dev.bound[ifno] = None
                client.complete(0, 0)
            else:
                client.complete(-1, errno.ENODATA)
            return True
        if code == IOCTL_CONNECT:
            if ifno in self.claims or self.dev.bound.get(ifno):
                client.complete(-1, errno.EBUSY)
            elif self.dev.kernel_driver and ifno == 0:
                self.dev.bound[ifno] = self.dev.kernel_driver
                EMU.log(self.dev.name, "kernel driver %s bound to interface %d again" % (self.dev.kernel_driver, ifno))
                client.complete(1, 0)  # device_attach: 1 when a driver took it
            else:
                client.complete(0, 0)  # no driver wants it
            return True
        client.complete(-1, errno.ENOTTY)
        return True

    def submit(self, client, arg):
        addr = struct.unpack("<Q", bytes(arg.retrieve())[:8])[0]
        urbd = arg.resolve(0, URB_SIZE)
        raw = bytes(urbd.retrieve())
        typ, ep = raw[0], raw[1]
        buflen = struct.unpack("<i", raw[24:28])[0]
        u = Urb(client, addr, typ, ep, buflen)
        if typ == URB_CONTROL:
            buf = bytes(urbd.resolve(16, buflen).retrieve()) if buflen >= 8 else b""
            if len(buf) < 8:
                client.complete(-1, errno.EINVAL)
                return True
            self.counts["ctl"] += 1
            u.setup = buf[:8]
            rt, rq, wv, wi, wl = struct.unpack("<BBHHH", buf[:8])
            status, data = self.dev.control(self, rt, rq, wv, wi, wl, buf[8:8 + wl])
            u.status = status
            if rt & 0x80:
                u.data = data[:wl] if status == 0 else b""
            else:
                self.out_len(u, wl if status == 0 else 0)
            self.ready.append(u)
            client.complete(0, 0)
            return True
        if typ not in (URB_BULK, URB_INTERRUPT):
            client.complete(-1, errno.EINVAL)
            return True
        if ep & 0x80:
            self.pending.setdefault(ep, []).append(u)
            self.pump()
            self.dev.on_in_submitted(self, ep)
            client.complete(0, 0)
            return True
        data = bytes(urbd.resolve(16, buflen).retrieve()) if buflen > 0 else b""
        self.counts["out"] += 1
        if ep in self.halted:
            u.status = -errno.EPIPE
            self.ready.append(u)
        else:
            st = self.dev.out(self, ep, data)
            if st is None:
                self.held.append(u)  # never completes: the program's timeout cancels it
            else:
                u.status = st
                self.out_len(u, buflen if st == 0 else 0)
                self.ready.append(u)
        client.complete(0, 0)
        self.pump()
        return True

    @staticmethod
    def out_len(u, n):
        u.data = n  # an OUT URB's actual_length (no bytes go back)

    def reap(self, client, arg):
        for u in self.ready:
            if u.client == client:
                self.ready.remove(u)
                break
        else:
            if self.dead:
                client.complete(-1, errno.ENODEV)
                return True
            # The fake node is a plain file, always "ready": the program
            # spins on this ioctl. Hold repeated empty answers back a little.
            self.idle += 1
            if self.idle > 1:
                GLib.timeout_add(2, self.eagain, client)
            else:
                client.complete(-1, errno.EAGAIN)
            return True
        self.idle = 0
        ptr = arg.resolve(0, 8)
        ptr.update(0, struct.pack("<Q", u.addr))
        urbd = ptr.resolve(0, URB_SIZE)
        if isinstance(u.data, int):
            actual = u.data
        else:
            actual = len(u.data)
            if actual:
                off = 8 if u.type == URB_CONTROL else 0
                buf = urbd.resolve(16, u.buflen)
                buf.update(off, u.data)
        urbd.update(4, struct.pack("<i", u.status))
        urbd.update(28, struct.pack("<i", actual))
        client.complete(0, 0)
        return True

    @staticmethod
    def eagain(client):
        client.complete(-1, errno.EAGAIN)
        return False

    def sync_control(self, client, arg):
        d = arg.resolve(0, 24)
        rt, rq, wv, wi, wl = struct.unpack("<BBHHH", bytes(d.retrieve())[:8])
        outdata = b""
        if not rt & 0x80 and wl:
            outdata = bytes(d.resolve(16, wl).retrieve())
        status, data = self.dev.control(self, rt, rq, wv, wi, wl, outdata)
        if status:
            client.complete(-1, -status)
            return True
        if rt & 0x80:
            data = data[:wl]
            if data:
                d.resolve(16, wl).update(0, data)
            client.complete(len(data), 0)
        else:
            client.complete(wl, 0)
        return True

    # -- the device side
    def send(self, ep, msg):
        """Queues MSG (bytes, or ("stall",)) for IN endpoint EP."""
        self.inq.setdefault(ep, []).append(msg)
        self.pump()

    def pump(self):
        for ep, lst in self.pending.items():
            while lst:
                if ep in self.halted:
                    u = lst.pop(0)
                    u.status = -errno.EPIPE
                    self.ready.append(u)
                    continue
                q = self.inq.get(ep)
                if not q:
                    break
                msg = q.pop(0)
                u = lst.pop(0)
                if isinstance(msg, tuple):  # ("stall",)
                    self.halted.add(ep)
                    u.status = -errno.EPIPE
                    EMU.log(self.dev.name, "ep %02x stalls" % ep)
                elif len(msg) > u.buflen:
                    # More than the host asked for: babble, the kernel says -EOVERFLOW.
                    u.data = msg[:u.buflen]
                    u.status = -errno.EOVERFLOW
                else:
                    u.data = msg
                self.counts["in"] += 1
                self.ready.append(u)

    def unplugged(self):
        self.dead = True
        for lst in list(self.pending.values()) + [self.held]:
            for u in lst:
                u.status = -errno.ESHUTDOWN
                u.data = b""
                self.ready.append(u)
            del lst[:]
        self.inq.clear()


# ------------------------------------------------------------------ devices


class Device:
    name = "?"
    port = 0
    ninterfaces = 1
    kernel_driver = None

    def __init__(self, opts):
        self.opts = opts
        self.h = None
        self.devnum = 0
        self.bound = {}
        self.fault = None
        self.fault_arg = None

    def syspath(self):
        return "/devices/pci0000:00/0000:00:14.0/usb1/1-%d" % self.port

    def descriptors(self):
        raise NotImplementedError

    def strings(self):
        return ["NSER Test", "?", "EMU0000"]

    def umockdev_text(self):
        vid, pid = self.vidpid()
        node = "bus/usb/001/%03d" % self.devnum
        s = self.strings()
        lines = [
            "P: " + self.syspath(),
            "N: " + node,
            "E: SUBSYSTEM=usb",
            "E: DEVTYPE=usb_device",
            "E: DEVNAME=/dev/" + node,
            "E: BUSNUM=001",
            "E: DEVNUM=%03d" % self.devnum,
            "E: PRODUCT=%x/%x/100" % (vid, pid),
            "A: busnum=1\\n",
            "A: devnum=%d\\n" % self.devnum,
            "A: devpath=%d\\n" % self.port,
            "A: bConfigurationValue=1\\n",
            "A: bNumConfigurations=1\\n",
            "A: bNumInterfaces= %d\\n" % self.ninterfaces,
            "A: speed=12\\n",
            "A: idVendor=%04x\\n" % vid,
            "A: idProduct=%04x\\n" % pid,
            "A: manufacturer=%s\\n" % s[0],
            "A: product=%s\\n" % s[1],
            "A: serial=%s\\n" % s[2],
            "H: descriptors=" + self.descriptors().hex().upper(),
        ]
        return "\n".join(lines) + "\n\n"

    def vidpid(self):
        return self.opts.vid, self.opts.pid

    def control(self, h, rt, rq, wv, wi, wl, data):
        """A control request: (status, reply bytes); -EPIPE stalls it."""
        if rt == 0x80 and rq == 6:
            kind, idx = wv >> 8, wv & 0xFF
            if kind == 1:
                return 0, self.descriptors()[:18]
            if kind == 2:
                return 0, self.descriptors()[18:]
            if kind == 3:
                if idx == 0:
                    return 0, bytes([4, 3]) + le16(0x0409)
                s = self.strings()
                if 1 <= idx <= len(s):
                    return 0, string_desc(s[idx - 1])
            return -errno.EPIPE, b""
        if rt == 0x80 and rq == 0:  # GET_STATUS
            return 0, b"\0\0"
        if rt == 0x80 and rq == 8:  # GET_CONFIGURATION
            return 0, b"\x01"
        if rt in (0x00, 0x01) and rq in (9, 11):  # SET_CONFIGURATION, SET_INTERFACE
            return 0, b""
        if rt == 0x02 and rq == 1:  # CLEAR_FEATURE(ENDPOINT_HALT)
            h.halted.discard(wi & 0xFF)
            return 0, b""
        r = self.class_control(h, rt, rq, wv, wi, wl, data)
        if r is None:
            EMU.log(self.name, "control %02x %02x %04x %04x %d: stall" % (rt, rq, wv, wi, wl))
            return -errno.EPIPE, b""
        return r

    def class_control(self, h, rt, rq, wv, wi, wl, data):
        return None

    def out(self, h, ep, data):
        return 0

    def on_in_submitted(self, h, ep):
        pass

    def on_plug(self, h):
        pass

    def on_reset(self, h):
        pass

    def on_unplug(self):
        pass

    def take_fault(self, *kinds):
        if self.fault in kinds:
            f = self.fault
            self.fault = None
            EMU.log(self.name, "fault " + f + " fires")
            return f
        return None

    def status(self):
        h = self.h
        s = ["plugged=%d" % (h is not None)]
        if h:
            s.append("bus=001/%03d" % self.devnum)
            s.append("claimed=%d" % bool(h.claims))
            s.append("halted=%s" % (",".join("%02x" % e for e in sorted(h.halted)) or "-"))
            s.append("out=%d in=%d ctl=%d" % (h.counts["out"], h.counts["in"], h.counts["ctl"]))
        s.append("fault=%s" % (self.fault or "-"))
        return s


# ------------------------------------------------------------------ the card


def ber_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


class Card:
    """A virtual ISO 7816-4 card from a JSON file: an application (AID)
    holding transparent EFs. See tests/usb/cards/default.json."""

    OUTGOING = (0xB0, 0xC0, 0xCA, 0xB2, 0x84)  # case 2 INS: P3 is Le under T=0

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        self.path = path
        self.aid = bytes.fromhex(spec["aid"].replace(":", " "))
        self.atr_override = bytes.fromhex(spec["atr"]) if spec.get("atr") else None
        self.files = {}
        for fid, body in spec.get("files", {}).items():
            self.files[int(fid, 16)] = self.file_bytes(body)
        self.reset()

    @staticmethod
    def file_bytes(body):
        if "hex" in body:
            return bytes.fromhex(body["hex"])
        out = b""
        for tag, value in body.get("tlv", {}).items():
            v = bytes.fromhex(value["hex"]) if isinstance(value, dict) else value.encode("utf-8")
            out += bytes.fromhex(tag) + ber_len(len(v)) + v
        return out

    def reset(self):
        self.app = False
        self.ef = None
        self.response = None  # what GET RESPONSE gives

    def apdu(self, cmd):
        """An APDU (short) in, the response (data + SW) out."""
        if len(cmd) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = cmd[:4]
        body = cmd[4:]
        data, ne = b"", None
        if len(body) == 1:
            ne = body[0] or 256
        elif len(body) > 1:
            lc = body[0]
            if lc == 0:  # extended length: the reader is short APDU only
                return b"\x67\x00"
            if len(body) == 1 + lc:
                data = body[1:]
            elif len(body) == 2 + lc:
                data, ne = body[1:1 + lc], body[-1] or 256
            else:
                return b"\x67\x00"
        out, sw = self.execute(cla, ins, p1, p2, data, ne, False)
        return out + sw

    def tpdu_t0(self, tpdu):
        """ISO 7816-3 T=0 as a TPDU-level CCID reader passes it: the
        5-byte header and the data; the card's data and SW back."""
        if len(tpdu) < 5:
            return b"\x67\x00"
        cla, ins, p1, p2, p3 = tpdu[:5]
        if ins in self.OUTGOING:
            if len(tpdu) != 5:
                return b"\x67\x00"
            out, sw = self.execute(cla, ins, p1, p2, b"", p3 or 256, True)
            return out + sw
        if len(tpdu) != 5 + p3:
            return b"\x67\x00"
        out, sw = self.execute(cla, ins, p1, p2, tpdu[5:], None, True)
        return out + sw

    def execute(self, cla, ins, p1, p2, data, ne, t0):
        if ins != 0xC0:
            self.response = None
        if cla & 0xF0:
            return b"", b"\x6E\x00"
        if ins == 0xA4:
            return self.select(p1, p2, data, ne, t0)
        if ins == 0xB0:
            return self.read_binary(p1, p2, ne, t0)
        if ins == 0xC0:
            return self.get_response(p1, p2, ne, t0)
        return b"", b"\x6D\x00"

    def reply(self, body, ne, t0):
        """Response data of a command that may return some (SELECT with
        P2=00): under T=0 it waits for GET RESPONSE (61xx)."""
        if t0:
            self.response = body
            return b"", bytes([0x61, len(body) & 0xFF])
        if ne is None:
            return b"", b"\x90\x00"
        return body[:ne], b"\x90\x00"

    def select(self, p1, p2, data, ne, t0):
        if p2 not in (0x00, 0x04, 0x0C):
            return b"", b"\x6A\x86"
        if p1 == 0x04:
            if data != self.aid:
                return b"", b"\x6A\x82"
            self.app, self.ef = True, None
            if p2 == 0x0C:
                return b"", b"\x90\x00"
            return self.reply(b"\x6F" + ber_len(2 + len(self.aid)) + b"\x84" + ber_len(len(self.aid)) + self.aid, ne, t0)
        if p1 in (0x00, 0x02):
            if len(data) != 2:
                return b"", b"\x67\x00"
            fid = (data[0] << 8) | data[1]
            if not self.app or fid not in self.files:
                return b"", b"\x6A\x82"
            self.ef = fid
            if p2 == 0x0C:
                return b"", b"\x90\x00"
            size = len(self.files[fid])
            fcp = b"\x80\x02" + struct.pack(">H", size) + b"\x82\x01\x01\x83\x02" + bytes(data)
            return self.reply(b"\x62" + ber_len(len(fcp)) + fcp, ne, t0)
        return b"", b"\x6A\x86"

    def read_binary(self, p1, p2, ne, t0):
        if p1 & 0x80:
            return b"", b"\x6A\x81"  # short EF identifiers: not on this card
        if ne is None:
            ne = 256  # no Le: read what there is (a lenient card)
        if self.ef is None:
            return b"", b"\x69\x86"
        content = self.files[self.ef]
        off = (p1 << 8) | p2
        if off >= len(content):
            return b"", b"\x6B\x00"
        avail = len(content) - off
        if t0 and ne > avail:
            return b"", bytes([0x6C, avail & 0xFF])
        n = min(ne, avail)
        return content[off:off + n], (b"\x62\x82" if n < ne else b"\x90\x00")

    def get_response(self, p1, p2, ne, t0):
        if p1 or p2:
            return b"", b"\x6A\x86"
        if self.response is None:
            return b"", b"\x69\x85"
        if ne is None:
            ne = 256
        avail = len(self.response)
        if t0 and ne > avail:
            return b"", bytes([0x6C, avail & 0xFF])
        out, rest = self.response[:ne], self.response[ne:]
        self.response = rest or None
        return out, (bytes([0x61, len(rest) & 0xFF]) if rest else b"\x90\x00")


def lrc(b):
    x = 0
    for c in b:
        x ^= c
    return x


class T1:
    """The card's half of ISO 7816-3 T=1 (block numbering, chaining both
    ways, IFS, RESYNCH, ABORT, and WTX when the fault asks for one)."""

    def __init__(self, card, ifsc):
        self.card = card
        self.ifsc = ifsc
        self.reset()

    def reset(self):
        self.ns = 0  # the N(S) of the card's next I-block
        self.nr = 0  # the N(S) the card expects from the reader
        self.ifsd = 32
        self.rx = b""
        self.tx = []
        self.last = None
        self.wtx_wait = False

    @staticmethod
    def block(pcb, inf=b""):
        b = bytes([0, pcb, len(inf)]) + inf
        return b + bytes([lrc(b)])

    def r_block(self, err):
        return self.block(0x80 | (self.nr << 4) | err)

    def send_next(self):
        chunk = self.tx.pop(0)
        pcb = (self.ns << 6) | (0x20 if self.tx else 0)
        self.ns ^= 1
        self.last = self.block(pcb, chunk)
        return self.last

    def take(self, blk, wtx):
        if len(blk) < 4 or blk[2] == 0xFF or len(blk) != 4 + blk[2] or lrc(blk[:-1]) != blk[-1]:
            return self.r_block(1)  # EDC or length error
        pcb, inf = blk[1], blk[3:-1]
        if not pcb & 0x80:  # I-block
            if (pcb >> 6) & 1 != self.nr:
                return self.r_block(2)
            self.nr ^= 1
            self.tx = []
            self.rx += inf
            if pcb & 0x20:
                return self.r_block(0)  # chaining: ask for the next block
            apdu, self.rx = self.rx, b""
            resp = self.card.apdu(apdu)
            self.tx = [resp[i:i + self.ifsd] for i in range(0, len(resp), self.ifsd)] or [b""]
            if wtx:
                self.wtx_wait = True
                self.last = self.block(0xC3, b"\x01")
                return self.last
            return self.send_next()
        if pcb & 0xC0 == 0x80:  # R-block
            if self.tx and (pcb >> 4) & 1 == self.ns and not self.wtx_wait:
                return self.send_next()
            return self.last or self.r_block(2)
        # S-block
        if pcb == 0xC1 and len(inf) == 1 and 1 <= inf[0] <= 254:
            self.ifsd = inf[0]
            return self.block(0xE1, inf)
        if pcb == 0xC0:
            self.reset()
            return self.block(0xE0)
        if pcb == 0xC2:
            self.rx, self.tx = b"", []
            return self.block(0xE2)
        if pcb == 0xE3 and self.wtx_wait:
            self.wtx_wait = False
            return self.send_next()
        return self.r_block(2)


# ------------------------------------------------------------------ the reader

CCID_ICC_MUTE = 0xFE
REPLY_TYPE = {0x62: 0x80, 0x63: 0x81, 0x65: 0x81, 0x6F: 0x80, 0x6C: 0x82, 0x6D: 0x82,
              0x61: 0x82, 0x6B: 0x83, 0x6E: 0x81, 0x6A: 0x81, 0x69: 0x80, 0x71: 0x81,
              0x72: 0x81, 0x73: 0x84}
CCID_NAMES = {0x62: "IccPowerOn", 0x63: "IccPowerOff", 0x65: "GetSlotStatus", 0x6F: "XfrBlock",
              0x6C: "GetParameters", 0x6D: "ResetParameters", 0x61: "SetParameters",
              0x6B: "Escape", 0x6E: "IccClock", 0x6A: "T0APDU", 0x69: "Secure",
              0x71: "Mechanical", 0x72: "Abort", 0x73: "SetDataRateAndClockFrequency"}

T1_PARAMS = bytes([0x11, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00])
T0_PARAMS = bytes([0x11, 0x00, 0x00, 0x0A, 0x00])


class Reader(Device):
    name = "reader"
    port = 1
    EP_OUT, EP_IN, EP_INT = 0x02, 0x82, 0x83

    def __init__(self, opts):
        super().__init__(opts)
        self.card = None
        self.powered = False
        self.t1 = None

    def strings(self):
        return ["NSER Test", "Virtual CCID Reader", "NSERRDR0001"]

    def t1proto(self):
        return self.opts.proto == "t1"

    def descriptors(self):
        o = self.opts
        features = 0x000000BA | (0x00020000 if o.level == "apdu" else 0x00010000)
        ccid = struct.pack(
            "<BBHBBIIIBIIBIIIIIBBHBB", 0x36, 0x21, 0x0110, 0, 0x07,
            2 if self.t1proto() else 1, 3580, 3580, 0, 9600, 9600, 0, 254, 0, 0,
            features, 271, 0xFF, 0xFF, 0, 0, 1)
        assert len(ccid) == 54
        eps = ep_desc(self.EP_OUT, 2, 64, 0) + ep_desc(self.EP_IN, 2, 64, 0)
        if not o.no_interrupt:
            eps += ep_desc(self.EP_INT, 3, 8, 16)
        body = iface_desc(0, 2 if o.no_interrupt else 3, 0x0B, 0, 0) + ccid + eps
        return dev_desc(o.vid, o.pid) + config_desc(body)

    def atr(self, lying=False):
        if self.card and self.card.atr_override and not lying:
            return self.card.atr_override
        hist = b"\x80NSER"
        if self.t1proto():
            # TS, T0 (TD1, 5 historical), TD1 (TD2, T=1), TD2 (TA3 TB3, T=1),
            # TA3 IFSC 254, TB3 BWI 4 CWI 5, historical bytes, TCK.
            body = bytes([0x80 | len(hist), 0x81, 0x31, 0xFE, 0x45]) + hist
            if lying:  # claims 15 historical bytes, has 5, and a wrong TCK
                body = bytes([0x8F]) + body[1:]
                return b"\x3B" + body + bytes([lrc(body) ^ 0x5A])
            return b"\x3B" + body + bytes([lrc(body)])
        # T=0 only: TA1 (Fi 372, Di 1), no TCK.
        body = bytes([0x10 | len(hist), 0x11]) + hist
        if lying:
            return b"\x3B" + bytes([0x1F, 0x11]) + hist
        return b"\x3B" + body

    def icc(self):
        if not self.card:
            return 2
        return 0 if self.powered else 1

    def on_plug(self, h):
        if self.card and not self.opts.no_interrupt:
            h.send(self.EP_INT, b"\x50\x03")

    def on_reset(self, h):
        self.powered = False

    def on_unplug(self):
        self.powered = False  # no bus power, no card power

    def set_card(self, card):
        h = self.h
        had = self.card is not None
        self.card = card
        self.powered = False
        if card:
            card.reset()
            self.t1 = T1(card, 0xFE)
        if h and not self.opts.no_interrupt and (had or card):
            h.send(self.EP_INT, bytes([0x50, 0x02 | (1 if card else 0)]))

    def on_in_submitted(self, h, ep):
        if ep == self.EP_IN and getattr(self, "unplug_when_pending", False):
            self.unplug_when_pending = False
            GLib.idle_add(EMU.unplug_idle, self)

    def out(self, h, ep, msg):
        if ep != self.EP_OUT:
            return 0
        if len(msg) < 10:
            EMU.log(self.name, "OUT %s: shorter than a CCID header, ignored" % hx(msg))
            return 0
        mtype, dlen, slot, seq = msg[0], struct.unpack("<I", msg[1:5])[0], msg[5], msg[6]
        data = msg[10:]
        name = CCID_NAMES.get(mtype, "0x%02x" % mtype)
        EMU.log(self.name, "<- %s seq %d %s" % (name, seq, hx(data)))
        rtype = REPLY_TYPE.get(mtype, 0x81)
        if self.take_fault("unplug-mid"):
            if h.pending.get(self.EP_IN):
                GLib.idle_add(EMU.unplug_idle, self)
            else:
                self.unplug_when_pending = True
            return 0
        if mtype not in REPLY_TYPE:
            reply = self.msg(rtype, seq, b"", 1, 0x00)  # CMD_NOT_SUPPORTED
        elif dlen != len(data):
            reply = self.msg(rtype, seq, b"", 1, 1)  # bad dwLength (offset 1)
        elif slot != 0:
            reply = self.msg(rtype, seq, b"", 1, 5)  # no such slot (offset 5)
        else:
            reply = self.command(mtype, seq, data, msg)
        self.deliver(h, seq, reply)
        return 0

    def msg(self, rtype, seq, data, cmdstatus=0, err=0, b9=0, icc=None):
        status = (self.icc() if icc is None else icc) | (cmdstatus << 6)
        if rtype == 0x81 and b9 == 0 and self.icc() == 2:
            b9 = 0  # clock running / not applicable
        return bytes([rtype]) + le32(len(data)) + bytes([0, seq, status, err, b9]) + data

    def command(self, mtype, seq, data, msg):
        rtype = REPLY_TYPE[mtype]
        if mtype == 0x62:  # IccPowerOn
            if not self.card:
                return self.msg(rtype, seq, b"", 1, CCID_ICC_MUTE)
            lying = bool(self.take_fault("lying-atr"))
            self.powered = True
            self.card.reset()
            self.t1 = T1(self.card, 0xFE)
            return self.msg(rtype, seq, self.atr(lying))
        if mtype == 0x63:
            self.powered = False
            return self.msg(rtype, seq, b"")
        if mtype in (0x65, 0x72):  # GetSlotStatus, Abort
            return self.msg(rtype, seq, b"")
        if mtype == 0x6F:  # XfrBlock
            if not self.card or not self.powered:
                return self.msg(rtype, seq, b"", 1, CCID_ICC_MUTE)
            if not data:
                return self.msg(rtype, seq, b"", 1, 1)
            if self.opts.level == "apdu":
                resp = self.card.apdu(data)
            elif self.t1proto():
                resp = self.t1.take(data, bool(self.take_fault("wtx")))
            else:
                resp = self.card.tpdu_t0(data)
            EMU.log(self.name, "   card: %s -> %s" % (hx(data), hx(resp)))
            return self.msg(rtype, seq, resp)
        if mtype in (0x6C, 0x6D, 0x61):  # Get/Reset/SetParameters
            if not self.card:
                return self.msg(rtype, seq, b"", 1, CCID_ICC_MUTE)
            proto = 1 if self.t1proto() else 0
            if mtype == 0x61 and msg[7] != proto:
                return self.msg(rtype, seq, b"", 1, 7)  # bProtocolNum (offset 7)
            if mtype == 0x61 and len(data) != (7 if proto else 5):
                return self.msg(rtype, seq, b"", 1, 1)
            params = data if mtype == 0x61 else (T1_PARAMS if proto else T0_PARAMS)
            return self.msg(rtype, seq, params, b9=proto)
        return self.msg(rtype, seq, b"", 1, 0x00)  # CMD_NOT_SUPPORTED

    def deliver(self, h, seq, reply):
        f = self.take_fault("stall", "timeout", "truncate", "badseq", "oversize", "garbage")
        if f == "stall":
            h.send(self.EP_IN, ("stall",))
            return
        if f == "timeout":
            EMU.log(self.name, "-> (nothing: timeout fault)")
            return
        if f == "truncate":
            reply = reply[:max(7, len(reply) // 2)] if len(reply) > 10 else reply[:7]
        elif f == "badseq":
            reply = reply[:6] + bytes([(seq + 1) & 0xFF]) + reply[7:]
        elif f == "oversize":
            reply = reply[:1] + le32(0x10000) + reply[5:] + bytes(range(256)) * 4
        elif f == "garbage":
            reply = bytes([0xA5, 0x5A, 0xFF, 0x00, 0x13, 0x37, 0xC3, 0x3C, 0x99, 0x66, 0x01, 0x02])
        EMU.log(self.name, "-> %s" % hx(reply))
        h.send(self.EP_IN, reply)

    def class_control(self, h, rt, rq, wv, wi, wl, data):
        if rt == 0x21 and rq == 0x01:  # ABORT
            return 0, b""
        if rt == 0xA1 and rq == 0x02:  # GET_CLOCK_FREQUENCIES
            return 0, le32(3580)
        if rt == 0xA1 and rq == 0x03:  # GET_DATA_RATES
            return 0, le32(9600)
        return None

    def status(self):
        s = super().status()
        o = self.opts
        s += ["card=%d" % (self.card is not None), "powered=%d" % self.powered,
              "level=%s" % o.level, "proto=%s" % o.proto,
              "vidpid=%04x:%04x" % (o.vid, o.pid)]
        if self.card:
            s.append("cardfile=%s" % os.path.basename(self.card.path))
        return s


# ------------------------------------------------------------------ the scanner

# US layout: character -> (shift, usage)
KEYS = {}
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz"):
    KEYS[_c] = (False, 0x04 + _i)
    KEYS[_c.upper()] = (True, 0x04 + _i)
for _i, (_c, _s) in enumerate(zip("1234567890", "!@#$%^&*()")):
    KEYS[_c] = (False, 0x1E + _i)
    KEYS[_s] = (True, 0x1E + _i)
for _u, _c, _s in ((0x2C, " ", None), (0x2D, "-", "_"), (0x2E, "=", "+"), (0x2F, "[", "{"),
                   (0x30, "]", "}"), (0x31, "\\", "|"), (0x33, ";", ":"), (0x34, "'", '"'),
                   (0x35, "`", "~"), (0x36, ",", "<"), (0x37, ".", ">"), (0x38, "/", "?")):
    KEYS[_c] = (False, _u)
    if _s:
        KEYS[_s] = (True, _u)
KEYS["\t"] = (False, 0x2B)
KEYS["\n"] = (False, 0x28)

# The HID 1.11 boot keyboard report descriptor (Appendix B.1's layout).
BOOT_KBD_REPORT = bytes.fromhex(
    "05 01 09 06 a1 01 05 07 19 e0 29 e7 15 00 25 01 75 01 95 08 81 02"
    " 95 01 75 08 81 01 95 05 75 01 05 08 19 01 29 05 91 02 95 01 75 03 91 01"
    " 95 06 75 08 15 00 25 65 05 07 19 00 29 65 81 00 c0")


class Scanner(Device):
    name = "scanner"
    port = 2
    kernel_driver = "usbhid"
    EP_IN = 0x81

    def __init__(self, opts):
        super().__init__(opts)
        self.queue = []  # reports not yet out of the scanner
        self.sent = 0
        self.eaten = 0  # reports usbhid took (the kiosk had not detached it)
        self.timer = None
        self.protocol = 1

    def vidpid(self):
        return self.opts.vid, self.opts.pid

    def strings(self):
        return ["NSER Test", "Barcode Scanner", "NSERSCN0001"]

    def descriptors(self):
        hid = struct.pack("<BBHBBBH", 9, 0x21, 0x0111, 0, 1, 0x22, len(BOOT_KBD_REPORT))
        body = iface_desc(0, 1, 3, 1, 1) + hid + ep_desc(self.EP_IN, 3, 8, 1)
        return dev_desc(self.opts.vid, self.opts.pid) + config_desc(body)

    def on_plug(self, h):
        self.bound = {0: None if self.opts.no_driver else self.kernel_driver}

    def class_control(self, h, rt, rq, wv, wi, wl, data):
        if rt == 0x81 and rq == 6 and wv >> 8 == 0x22:
            return 0, BOOT_KBD_REPORT
        if rt == 0x81 and rq == 6 and wv >> 8 == 0x21:
            return 0, self.descriptors()[18 + 9 + 9:18 + 9 + 9 + 9]
        if rt == 0x21 and rq in (0x0A, 0x09):  # SET_IDLE, SET_REPORT (LEDs)
            return 0, b""
        if rt == 0x21 and rq == 0x0B:  # SET_PROTOCOL
            self.protocol = wv & 1
            return 0, b""
        if rt == 0xA1 and rq == 0x03:
            return 0, bytes([self.protocol])
        if rt == 0xA1 and rq == 0x02:  # GET_IDLE
            return 0, b"\x00"
        if rt == 0xA1 and rq == 0x01:  # GET_REPORT
            return 0, bytes(8)
        return None

    @staticmethod
    def reports_for(text, enter=True):
        out = []
        for c in text + ("\n" if enter else ""):
            if c not in KEYS:
                raise ValueError("cannot type %r on a US keyboard" % c)
            shift, usage = KEYS[c]
            out.append(bytes([0x02 if shift else 0, 0, usage, 0, 0, 0, 0, 0]))
            out.append(bytes(8))
        return out

    def add(self, reports, paced=True):
        self.queue.extend(reports)
        if not paced or self.opts.pace <= 0:
            self.flush_all()
        elif self.timer is None:
            self.timer = GLib.timeout_add(self.opts.pace, self.tick)

    def emit(self, report):
        h = self.h
        if self.bound.get(0):
            self.eaten += 1  # the kernel's keyboard driver has it, not the program
            return
        h.send(self.EP_IN, report)
        self.sent += 1

    def flush_all(self):
        while self.queue and self.h:
            self.emit(self.queue.pop(0))

    def tick(self):
        with LOCK:
            if not self.queue or not self.h:
                self.timer = None
                return False
            self.emit(self.queue.pop(0))
            if not self.queue:
                self.timer = None
                return False
            return True

    def status(self):
        s = super().status()
        s += ["driver=%s" % (self.bound.get(0) or "-"), "queued=%d" % len(self.queue),
              "sent=%d" % self.sent, "eaten=%d" % self.eaten, "pace=%d" % self.opts.pace]
        if self.h:
            s.append("unread=%d" % len(self.h.inq.get(self.EP_IN, [])))
        return s


# ------------------------------------------------------------------ the printer

PRINTER_STATES = ("ok", "paper-out", "cover-open", "offline")


class Printer(Device):
    name = "printer"
    port = 3
    EP_OUT, EP_IN = 0x01, 0x81

    def __init__(self, opts):
        super().__init__(opts)
        self.state = "ok"
        self.printed = bytearray()
        self.held = bytearray()  # received while not ready: printed when it is
        self.rt = 0  # DLE EOT recogniser state
        self.kernel_driver = opts.driver

    def strings(self):
        return ["NSER Test", "Virtual Receipt Printer", "NSERPRN0001"]

    def descriptors(self):
        if self.opts.protocol == 1:  # unidirectional: no bulk IN, no status
            body = iface_desc(0, 1, 7, 1, 1) + ep_desc(self.EP_OUT, 2, 64, 0)
        else:
            body = iface_desc(0, 2, 7, 1, 2) + ep_desc(self.EP_OUT, 2, 64, 0) + ep_desc(self.EP_IN, 2, 64, 0)
        return dev_desc(self.opts.vid, self.opts.pid) + config_desc(body)

    def on_plug(self, h):
        self.bound = {0: self.kernel_driver}

    def status_byte(self, n):
        s = self.state
        if n == 1:  # printer status: bit 3 offline
            return 0x12 | (0x08 if s != "ok" else 0)
        if n == 2:  # offline cause: bit 2 cover open, bit 5 paper end stop, bit 6 error
            return 0x12 | {"ok": 0, "paper-out": 0x20, "cover-open": 0x04, "offline": 0x40}[s]
        if n == 3:  # error status
            return 0x12
        return 0x12 | (0x6C if s == "paper-out" else 0)  # roll paper: near end + end

    def out(self, h, ep, data):
        if ep != self.EP_OUT:
            return 0
        f = self.take_fault("stall", "timeout")
        if f == "stall":
            h.halted.add(ep)
            EMU.log(self.name, "<- %d bytes refused: ep %02x stalls" % (len(data), ep))
            return -errno.EPIPE
        if f == "timeout":
            EMU.log(self.name, "<- %d bytes never taken (timeout fault)" % len(data))
            return None
        EMU.log(self.name, "<- %d bytes: %s" % (len(data), hx(data[:48]) + (" ..." if len(data) > 48 else "")))
        for b in data:
            if self.rt == 2:
                self.rt = 0
                if 1 <= b <= 4:
                    st = self.status_byte(b)
                    if self.opts.protocol == 1:
                        continue  # nowhere to answer: taken as data, as a real one would
                    EMU.log(self.name, "-> DLE EOT %d status %02x" % (b, st))
                    h.send(self.EP_IN, bytes([st]))
                    continue
            if self.rt == 1:
                self.rt = 2 if b == 0x04 else 0
            if self.rt == 0 and b == 0x10:
                self.rt = 1
        if self.state == "ok":
            self.printed += data
        else:
            self.held += data
        return 0

    def set_state(self, s):
        self.state = s
        if s == "ok" and self.held:
            self.printed += self.held
            self.held = bytearray()

    def class_control(self, h, rt, rq, wv, wi, wl, data):
        if rt == 0xA1 and rq == 0:  # GET_DEVICE_ID
            if self.opts.device_id == "none":
                return None  # stalls, as printers without one do
            i = self.opts.device_id.encode("ascii", "replace")
            return 0, struct.pack(">H", len(i) + 2) + i
        if rt == 0xA1 and rq == 1:  # GET_PORT_STATUS
            return 0, bytes([{"ok": 0x18, "paper-out": 0x20}.get(self.state, 0x00)])
        if rt == 0x21 and rq == 2:  # SOFT_RESET
            return 0, b""
        return None

    def status(self):
        s = super().status()
        s += ["state=%s" % self.state, "bytes=%d" % len(self.printed), "held=%d" % len(self.held),
              "driver=%s" % (self.bound.get(0) or "-")]
        return s


# ------------------------------------------------------------------ the emulator


DEFAULTS = {
    "reader": dict(vid=0x1D6B, pid=0xCCD1),
    "scanner": dict(vid=0x1D6B, pid=0xCCD2),
    "printer": dict(vid=0x1D6B, pid=0xCCD3),
}


def plug_parser(kind):
    p = argparse.ArgumentParser(prog="plug " + kind, add_help=False, exit_on_error=False)
    p.add_argument("--vid", type=lambda s: int(s, 16), default=DEFAULTS[kind]["vid"])
    p.add_argument("--pid", type=lambda s: int(s, 16), default=DEFAULTS[kind]["pid"])
    if kind == "reader":
        p.add_argument("--level", choices=("apdu", "tpdu"), default="apdu")
        p.add_argument("--proto", choices=("t0", "t1"), default="t1")
        p.add_argument("--no-interrupt", action="store_true")
    if kind == "scanner":
        p.add_argument("--pace", type=int, default=0)
        p.add_argument("--no-driver", action="store_true")
    if kind == "printer":
        p.add_argument("--driver", default=None, help="a kernel driver bound at plug, e.g. usblp")
        p.add_argument("--protocol", type=int, choices=(1, 2), default=2,
                       help="1: unidirectional (bulk OUT only, no status)")
        p.add_argument("--device-id", default="MFG:NSER Test;CMD:ESC/POS;MDL:Virtual Receipt Printer;CLS:PRINTER;",
                       help="the IEEE 1284 device ID, or none")
    return p


class ArgError(Exception):
    pass


def parse_opts(kind, args):
    p = plug_parser(kind)
    try:
        ns, rest = p.parse_known_args(args)
    except (argparse.ArgumentError, SystemExit) as e:
        raise ArgError(str(e))
    if rest:
        raise ArgError("unknown option(s) for %s: %s" % (kind, " ".join(rest)))
    return ns


class Emulator:
    def __init__(self, state_dir):
        self.dir = state_dir
        self.log = Log(os.path.join(state_dir, "log"))
        self.tb = UMockdev.Testbed.new()
        self.root = self.tb.get_root_dir()
        self.devnum = 1
        self.devices = {
            "reader": Reader(parse_opts("reader", [])),
            "scanner": Scanner(parse_opts("scanner", [])),
            "printer": Printer(parse_opts("printer", [])),
        }
        self.old = []  # handlers of unplugged devices (a program may hold them)
        # Device node permissions for a program under test that is not
        # root (see "node-mode"); None leaves umockdev's default (0644:
        # only root may write, i.e. open a USB device).
        self.node_mode = None
        self.loop = GLib.MainLoop()
        self.conns = {}

    # -- plugging
    def plug(self, kind, args):
        dev = self.devices[kind]
        if dev.h:
            raise ArgError("%s is already plugged in" % kind)
        # Every plug starts from the defaults plus ARGS: a plain "plug
        # reader" after "plug reader --no-interrupt" is the plain reader.
        opts = parse_opts(kind, args)
        card = getattr(dev, "card", None)
        dev.__init__(opts)
        if card:
            dev.card = card
            dev.t1 = T1(card, 0xFE)
        self.devnum += 1
        if self.devnum > 127:
            raise ArgError("out of device numbers")
        dev.devnum = self.devnum
        devnode = "/dev/bus/usb/001/%03d" % dev.devnum
        h = Handler(dev, devnode)
        # attach first: a quick program would otherwise meet the default handler
        self.tb.attach_ioctl(devnode, h)
        dev.h = h
        dev.on_plug(h)
        self.tb.add_from_string(dev.umockdev_text())
        if self.node_mode is not None:
            os.chmod(self.root + devnode, self.node_mode)
            sock = os.path.join(self.root, "ioctl") + devnode
            if os.path.exists(sock):
                os.chmod(sock, 0o777)
        self.tb.uevent("/sys" + dev.syspath(), "add")
        self.log(kind, "plugged in as %s" % devnode)

    def unplug(self, kind):
        dev = self.devices[kind]
        h = dev.h
        if not h:
            raise ArgError("%s is not plugged in" % kind)
        h.unplugged()
        dev.h = None
        dev.on_unplug()
        self.old.append(h)
        self.tb.uevent("/sys" + dev.syspath(), "remove")
        self.tb.remove_device("/sys" + dev.syspath())
        if isinstance(dev, Scanner) and dev.timer:
            GLib.source_remove(dev.timer)
            dev.timer = None
        self.log(kind, "unplugged")

    def unplug_idle(self, dev):
        with LOCK:
            if dev.h:
                self.unplug(dev.name)
        return False

    # -- commands
    def command(self, line):
        words = line.split()
        if not words:
            raise ArgError("empty command")
        cmd, args = words[0], words[1:]
        if cmd == "plug":
            self.need(args, 1, "plug DEVICE [options]")
            self.plug(self.kind(args[0]), args[1:])
            return "plugged " + args[0]
        if cmd == "unplug":
            self.need(args, 1, "unplug DEVICE")
            self.unplug(self.kind(args[0]))
            return "unplugged " + args[0]
        if cmd == "status":
            self.need(args, 1, "status DEVICE")
            return " ".join(self.devices[self.kind(args[0])].status())
        if cmd == "insert-card":
            path = args[0] if args else os.path.join(HERE, "cards", "default.json")
            if not os.path.isabs(path) and not os.path.exists(path):
                path = os.path.join(HERE, "cards", path)
            try:
                card = Card(path)
            except (OSError, ValueError, KeyError) as e:
                raise ArgError("bad card file %s: %s" % (path, e))
            r = self.devices["reader"]
            if r.card:
                raise ArgError("a card is already in the reader")
            r.set_card(card)
            self.log("reader", "card inserted: " + os.path.basename(path))
            return "card inserted"
        if cmd == "remove-card":
            r = self.devices["reader"]
            if not r.card:
                raise ArgError("no card in the reader")
            r.set_card(None)
            self.log("reader", "card removed")
            return "card removed"
        if cmd in ("scan", "scan-raw"):
            s = self.devices["scanner"]
            if not s.h:
                raise ArgError("the scanner is not plugged in")
            if cmd == "scan":
                text = line.split(None, 1)[1] if len(words) > 1 else ""
                enter = True
                if text.startswith("--no-enter"):
                    enter, text = False, text[len("--no-enter"):].lstrip()
                try:
                    reports = Scanner.reports_for(text, enter)
                except ValueError as e:
                    raise ArgError(str(e))
            else:
                try:
                    raw = bytes.fromhex("".join(args))
                except ValueError:
                    raise ArgError("scan-raw wants hex")
                if not raw or len(raw) % 8:
                    raise ArgError("scan-raw wants whole 8-byte reports")
                reports = [raw[i:i + 8] for i in range(0, len(raw), 8)]
            s.add(reports)
            self.log("scanner", "%s: %d reports queued" % (cmd, len(reports)))
            return "%d reports" % len(reports)
        if cmd == "printer-state":
            self.need(args, 1, "printer-state ok|paper-out|cover-open|offline")
            if args[0] not in PRINTER_STATES:
                raise ArgError("printer-state: one of " + ", ".join(PRINTER_STATES))
            self.devices["printer"].set_state(args[0])
            self.log("printer", "state " + args[0])
            return "printer " + args[0]
        if cmd == "printed":
            self.need(args, 1, "printed FILE")
            p = self.devices["printer"]
            with open(args[0], "wb") as f:
                f.write(p.printed)
            return "%d bytes" % len(p.printed)
        if cmd == "printed-clear":
            p = self.devices["printer"]
            p.printed = bytearray()
            p.held = bytearray()
            return "cleared"
        if cmd == "node-mode":
            # For a program run as another user: it must be able to reach
            # the testbed (umockdev makes its uevent sockets in its root)
            # and the ioctl sockets; MODE then decides whether it may open
            # the devices plugged from now on, as udev rules would.
            self.need(args, 1, "node-mode MODE (octal, e.g. 0600 or 0666)")
            try:
                self.node_mode = int(args[0], 8)
            except ValueError:
                raise ArgError("node-mode wants an octal mode")
            os.chmod(self.root, 0o1777)
            for top, dirs, files in os.walk(os.path.join(self.root, "ioctl")):
                for f in files:
                    os.chmod(os.path.join(top, f), 0o777)
            return "node mode %04o" % self.node_mode
        if cmd == "fault":
            return self.arm_fault(args)
        if cmd == "log":
            return os.path.join(self.dir, "log")
        if cmd == "quit":
            GLib.idle_add(self.loop.quit)
            return "bye"
        raise ArgError("unknown command: " + cmd)

    FAULTS = {
        "reader": ("stall", "timeout", "truncate", "badseq", "oversize", "lying-atr", "garbage",
                   "unplug-mid", "wtx"),
        "scanner": ("flood",),
        "printer": ("stall", "timeout"),
    }

    def arm_fault(self, args):
        self.need(args, 2, "fault DEVICE KIND [N]")
        kind = self.kind(args[0])
        f = args[1]
        if f not in self.FAULTS[kind]:
            raise ArgError("%s faults: %s" % (kind, " ".join(self.FAULTS[kind])))
        dev = self.devices[kind]
        if f == "flood":
            try:
                n = int(args[2]) if len(args) > 2 else 100
            except ValueError:
                raise ArgError("fault scanner flood N")
            if not dev.h:
                raise ArgError("the scanner is not plugged in")
            reports = []
            for i in range(n):
                usage = 0x1E + (i // 2) % 10
                reports.append(bytes([0, 0, usage, 0, 0, 0, 0, 0]) if i % 2 == 0 else bytes(8))
            dev.add(reports, paced=False)
            self.log(kind, "flood: %d reports at once" % n)
            return "flood %d" % n
        if f == "wtx" and not (dev.opts.level == "tpdu" and dev.opts.proto == "t1"):
            raise ArgError("wtx needs a TPDU T=1 reader")
        dev.fault = f
        self.log(kind, "fault %s armed" % f)
        return "armed %s %s" % (kind, f)

    def kind(self, s):
        if s not in self.devices:
            raise ArgError("no device %r (reader, scanner, printer)" % s)
        return s

    @staticmethod
    def need(args, n, usage):
        if len(args) < n:
            raise ArgError("usage: " + usage)

    # -- the control socket
    def serve(self):
        path = os.path.join(self.dir, "ctl")
        if os.path.exists(path):
            os.unlink(path)
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(8)
        GLib.io_add_watch(self.srv.fileno(), GLib.IO_IN, self.accept)

    def accept(self, fd, cond):
        conn, _ = self.srv.accept()
        self.conns[conn.fileno()] = (conn, bytearray())
        GLib.io_add_watch(conn.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, self.readable)
        return True

    def readable(self, fd, cond):
        conn, buf = self.conns[fd]
        try:
            chunk = conn.recv(4096)
        except OSError:
            chunk = b""
        if not chunk:
            del self.conns[fd]
            conn.close()
            return False
        buf += chunk
        while b"\n" in buf:
            i = buf.index(b"\n")
            line = buf[:i].decode("utf-8", errors="replace").strip()
            del buf[:i + 1]
            with LOCK:
                try:
                    reply = "ok " + self.command(line)
                except ArgError as e:
                    reply = "error " + str(e)
                except Exception as e:
                    self.log("emu", "command %r failed: %s" % (line, traceback.format_exc().replace("\n", " | ")))
                    reply = "error internal: %s" % e
            self.log("ctl", "%s -> %s" % (line, reply))
            try:
                conn.sendall(reply.replace("\n", " ").encode() + b"\n")
            except OSError:
                pass
        return True

    def write_env(self):
        tmp = os.path.join(self.dir, "env.tmp")
        with open(tmp, "w") as f:
            f.write("UMOCKDEV_DIR=%s\n" % self.root)
            f.write("LD_PRELOAD=%s\n" % PRELOAD)
            f.write("EMU_PID=%d\n" % os.getpid())
        os.rename(tmp, os.path.join(self.dir, "env"))

    def run(self, plug):
        self.serve()
        for spec in plug:
            words = spec.split()
            self.plug(self.kind(words[0]), words[1:])
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, s, self.on_signal)
        self.parent = os.getppid()
        GLib.timeout_add_seconds(1, self.orphaned)
        self.write_env()
        self.log("emu", "ready, testbed %s" % self.root)
        self.loop.run()
        self.cleanup()

    def orphaned(self):
        """A test that died without saying quit (killed, or its EXIT trap
        removed DIR first) must not leave the emulator running."""
        if os.getppid() != self.parent or not os.path.exists(os.path.join(self.dir, "ctl")):
            self.log("emu", "orphaned (parent gone or state dir removed): quitting")
            self.loop.quit()
            return False
        return True

    def on_signal(self):
        self.loop.quit()
        return False

    def cleanup(self):
        self.log("emu", "quitting")
        for name in ("env", "ctl"):
            try:
                os.unlink(os.path.join(self.dir, name))
            except OSError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def main():
    global EMU
    ap = argparse.ArgumentParser(description="USB devices for tests, under umockdev")
    ap.add_argument("--state", required=True, help="directory for ctl, env and log")
    ap.add_argument("--plug", action="append", default=[],
                    help="a device plugged in at start, with its options: --plug 'reader --level tpdu'")
    a = ap.parse_args()
    if "umockdev-preload" not in os.environ.get("LD_PRELOAD", ""):
        sys.exit("usbemu.py: run it under umockdev-wrapper (uevents need the preload)")
    os.makedirs(a.state, exist_ok=True)
    EMU = Emulator(os.path.abspath(a.state))
    try:
        EMU.run(a.plug)
    except ArgError as e:
        EMU.cleanup()
        sys.exit("usbemu.py: %s" % e)
    sys.stdout.flush()
    sys.stderr.flush()
    # umockdev's worker thread is still about: do not wait for the
    # interpreter's teardown to sort it out.
    os._exit(0)


if __name__ == "__main__":
    main()
