#!/usr/bin/python3
# escpos_decode.py - what an ESC/POS receipt printer would have printed,
# from the bytes the emulated printer recorded, so that a test can assert
# "the tracking ID and a QR code of it were printed":
#
#   tests/usb/escpos_decode.py FILE [--qr | --text] [--strict]
#
# Output, one a line: the text lines as printed (LF ends a line; styles
# dropped), "[QR] payload" where a stored QR code is printed, "[QR stored,
# never printed] payload" for one that was stored only, "[BARCODE] data",
# "[IMAGE WxH]" for raster images, "[CUT]" for a paper cut. --qr prints
# the QR payloads alone, --text the text lines alone. Commands it does not
# know are reported on stderr ("unknown ESC x at offset N"), and with
# --strict they make the exit status 1, as does a command cut short.
#
# Must never: guess past an unknown command silently; it reads a file and
# prints, nothing more. Text is decoded as code page 437 (ESC t 0), the
# printers' default; other ESC t pages are reported, not translated.
import sys


class Decoder:
    def __init__(self, data):
        self.d = data
        self.i = 0
        self.out = []  # (kind, text)
        self.line = bytearray()
        self.qr = None  # stored QR data
        self.qr_printed = False
        self.problems = []

    def need(self, n):
        if self.i + n > len(self.d):
            raise EOFError
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def byte(self):
        return self.need(1)[0]

    def emit_line(self):
        self.out.append(("text", self.line.decode("cp437")))
        self.line = bytearray()

    def flush_partial(self):
        if self.line:
            self.emit_line()

    def problem(self, what):
        self.problems.append("%s at offset %d" % (what, self.i))

    def run(self):
        try:
            while self.i < len(self.d):
                self.step()
        except EOFError:
            self.problem("command cut short")
        self.flush_partial()
        if self.qr is not None and not self.qr_printed:
            self.out.append(("qr-unprinted", self.qr))
        return self.out

    def step(self):
        b = self.byte()
        if b == 0x0A:
            self.emit_line()
        elif b == 0x0D:
            pass
        elif b == 0x09:
            self.line += b"\t"
        elif b == 0x0C:  # FF: print and return to standard mode
            self.flush_partial()
        elif b == 0x1B:
            self.esc()
        elif b == 0x1D:
            self.gs()
        elif b == 0x10:
            self.dle()
        elif b == 0x1C:
            self.fs()
        elif b >= 0x20:
            self.line.append(b)
        else:
            self.problem("control byte %02x" % b)

    def esc(self):
        c = self.byte()
        # ESC ! - E G M R a { 3 SP V r % ? J U T: one parameter byte
        one = {0x21, 0x2D, 0x45, 0x47, 0x4D, 0x52, 0x61, 0x7B, 0x33, 0x20, 0x56, 0x72,
               0x25, 0x3F, 0x4A, 0x55, 0x54}
        if c == 0x40:  # ESC @ initialise
            return
        if c in (0x32, 0x3C):  # ESC 2 default spacing, ESC < return home
            return
        if c == 0x64:  # ESC d n: print and feed n lines
            n = self.byte()
            self.flush_partial()
            for _ in range(n):
                self.out.append(("text", ""))
            return
        if c == 0x74:  # ESC t n: code page
            n = self.byte()
            if n != 0:
                self.problem("code page %d (text shown as 437)" % n)
            return
        if c == 0x70:  # ESC p m t1 t2: drawer kick
            self.need(3)
            return
        if c in (0x24, 0x5C, 0x63):  # ESC $ / ESC \ position, ESC c x n panel
            self.need(2)
            return
        if c == 0x44:  # ESC D tabs, NUL-ended
            while self.byte() != 0:
                pass
            return
        if c == 0x2A:  # ESC * m nL nH data: bit image
            m, nl, nh = self.need(3)
            n = nl + 256 * nh
            self.need(n * (3 if m in (32, 33) else 1))
            self.out.append(("image", "%dx%d" % (n, 24 if m in (32, 33) else 8)))
            return
        if c == 0x69 or c == 0x6D:  # ESC i / ESC m: partial cut (old form)
            self.flush_partial()
            self.out.append(("cut", ""))
            return
        if c in one:
            self.byte()
            return
        self.problem("unknown ESC %02x" % c)

    def gs(self):
        c = self.byte()
        if c == 0x56:  # GS V m [n]: cut
            m = self.byte()
            if m in (65, 66, 97, 98, 103, 104):
                self.byte()
            self.flush_partial()
            self.out.append(("cut", ""))
            return
        if c == 0x28:  # GS ( fn pL pH ...
            fn = self.byte()
            pl, ph = self.need(2)
            body = self.need(pl + 256 * ph)
            if fn == 0x6B:
                self.symbol(body)
            return
        if c == 0x6B:  # GS k m ...: barcode
            m = self.byte()
            if m <= 6:
                data = bytearray()
                while True:
                    x = self.byte()
                    if x == 0:
                        break
                    data.append(x)
            else:
                data = self.need(self.byte())
            self.flush_partial()
            self.out.append(("barcode", bytes(data).decode("latin-1")))
            return
        if c == 0x76:  # GS v 0 m xL xH yL yH data: raster image
            self.need(2)
            xl, xh, yl, yh = self.need(4)
            x, y = xl + 256 * xh, yl + 256 * yh
            self.need(x * y)
            self.flush_partial()
            self.out.append(("image", "%dx%d" % (x * 8, y)))
            return
        if c in (0x4C, 0x57, 0x24, 0x5C, 0x50):  # GS L / W / $ / \ / P: two bytes
            self.need(2)
            return
        if c in (0x21, 0x42, 0x48, 0x66, 0x68, 0x77, 0x62, 0x72, 0x49, 0x61, 0x2F, 0x3A):
            if c != 0x3A:
                self.byte()
            return
        self.problem("unknown GS %02x" % c)

    def symbol(self, body):
        if len(body) < 2:
            self.problem("short GS ( k")
            return
        cn, fn = body[0], body[1]
        if cn != 0x31:  # only QR Code (cn 49) matters here; PDF417 etc. skipped
            return
        if fn == 0x50 and len(body) >= 3:  # store data: m=48, then the data
            self.qr = body[3:].decode("latin-1")
            self.qr_printed = False
        elif fn == 0x51:  # print the stored symbol
            self.flush_partial()
            if self.qr is None:
                self.problem("QR printed with nothing stored")
            else:
                self.out.append(("qr", self.qr))
                self.qr_printed = True

    def dle(self):
        c = self.byte()
        if c in (0x04, 0x05):  # DLE EOT n, DLE ENQ n: real-time, print nothing
            self.byte()
        elif c == 0x14:  # DLE DC4 fn a b
            self.need(3)
        else:
            self.problem("unknown DLE %02x" % c)

    def fs(self):
        c = self.byte()
        if c in (0x2E, 0x26):  # FS . / FS &: Kanji mode off/on
            return
        if c == 0x70:  # FS p n m: NV image
            self.need(2)
            self.out.append(("image", "nv"))
            return
        if c == 0x21:
            self.byte()
            return
        self.problem("unknown FS %02x" % c)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    if len(args) != 1 or flags - {"--qr", "--text", "--strict"}:
        sys.exit("usage: escpos_decode.py FILE [--qr | --text] [--strict]")
    with open(args[0], "rb") as f:
        dec = Decoder(f.read())
    out = dec.run()
    label = {"qr": "[QR] ", "qr-unprinted": "[QR stored, never printed] ", "barcode": "[BARCODE] ",
             "cut": "[CUT]", "image": "[IMAGE %s]"}
    for kind, text in out:
        if "--qr" in flags:
            if kind == "qr":
                print(text)
            continue
        if "--text" in flags:
            if kind == "text":
                print(text)
            continue
        if kind == "text":
            print(text)
        elif kind == "image":
            print(label[kind] % text)
        elif kind == "cut":
            print(label[kind])
        else:
            print(label[kind] + text)
    for p in dec.problems:
        print("escpos_decode: " + p, file=sys.stderr)
    return 1 if dec.problems and "--strict" in flags else 0


if __name__ == "__main__":
    sys.exit(main())
