# SPDX-License-Identifier: GPL-2.0-or-later
"""The core's target and type callbacks over a drgn Program.

Memory through prog.read(), symbols through prog.symbol() (then the
VMCOREINFO's SYMBOL() lines, as the CLI does), types through drgn's type
system. No exception leaves a callback: C cannot unwind it, so each one
turns failure into the core's own answer (MML_READ_INVALID, "not found",
an mml error), and an interrupt (^C) is kept and re-raised once the core
has returned.
"""

import ctypes

import drgn

from . import _lib


def vmcoreinfo(prog):
    """The VMCOREINFO note as a dict ({} when drgn has none)."""
    try:
        raw = prog["VMCOREINFO"].string_().decode(errors="replace")
    except (LookupError, drgn.FaultError, ValueError, TypeError):
        return {}
    info = {}
    for line in raw.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            info[key] = value
    return info


def _peel(t):
    while t.kind == drgn.TypeKind.TYPEDEF:
        t = t.type
    return t


_KINDS = {
    drgn.TypeKind.INT: _lib.KIND_INT,
    drgn.TypeKind.BOOL: _lib.KIND_INT,
    drgn.TypeKind.ENUM: _lib.KIND_INT,
    drgn.TypeKind.POINTER: _lib.KIND_POINTER,
    drgn.TypeKind.STRUCT: _lib.KIND_STRUCT,
    drgn.TypeKind.UNION: _lib.KIND_STRUCT,
    drgn.TypeKind.ARRAY: _lib.KIND_ARRAY,
}


def _size(t):
    try:
        return drgn.sizeof(t)
    except (TypeError, ValueError):
        return 0  # incomplete: a flexible array, void


def _search(t, name, base, depth):
    """(offset, member type) of @name in @t, through anonymous members."""
    if depth > 8:
        return None
    for m in t.members:
        if m.name == name:
            return base + m.bit_offset // 8, m.type
        if m.name is None:
            sub = _peel(m.type)
            if sub.kind in (drgn.TypeKind.STRUCT, drgn.TypeKind.UNION):
                found = _search(sub, name, base + m.bit_offset // 8,
                                depth + 1)
                if found:
                    return found
    return None


class Interrupted(Exception):
    pass


class Backend:
    """A struct mml_target and a struct mml_types over @prog. Keep it alive
    while the core runs: it holds the ctypes callbacks."""

    def __init__(self, prog, lib):
        self.prog = prog
        self.lib = lib
        self.pending = None  # a BaseException a callback swallowed
        self._vmcoreinfo = None
        self._target_ops = _lib.TargetOps(
            _lib.READ_FN(self._read), _lib.SYMBOL_FN(self._symbol),
            _lib.VMCOREINFO_FN(self._vmcoreinfo_number))
        self._types_ops = _lib.TypesOps(_lib.MEMBER_FN(self._member),
                                        _lib.TYPE_SIZE_FN(self._type_size),
                                        _lib.ENUMERATOR_FN(self._enumerator))
        flags = prog.platform.flags
        self.target = _lib.Target(
            ctypes.pointer(self._target_ops), None, self._page_size(),
            8 if flags & drgn.PlatformFlags.IS_64_BIT else 4,
            not flags & drgn.PlatformFlags.IS_LITTLE_ENDIAN,
            _lib.ARCH_AARCH64
            if prog.platform.arch == drgn.Architecture.AARCH64
            else _lib.ARCH_X86_64)
        self.types = _lib.Types(ctypes.pointer(self._types_ops), None)

    def vmcoreinfo(self):
        if self._vmcoreinfo is None:
            self._vmcoreinfo = vmcoreinfo(self.prog)
        return self._vmcoreinfo

    def _page_size(self):
        try:
            return self.prog["PAGE_SIZE"].value_()
        except (LookupError, drgn.FaultError):
            return int(self.vmcoreinfo().get("PAGESIZE", "4096"))

    def _keep(self, e):
        if self.pending is None:
            self.pending = e

    def _error(self, code, message):
        return self.lib.mml_error_create_message(code, message.encode())

    # ---- struct mml_target_ops ----
    def _read(self, arg, addr, buf, size):
        if self.pending is not None:
            return _lib.READ_INVALID  # stopping: the walk winds down
        try:
            data = self.prog.read(addr, size)
        except drgn.FaultError as e:
            # libkdumpfile's message for a page makedumpfile left out.
            msg = str(e).lower()
            if "excluded" in msg or "no data" in msg or "not saved" in msg:
                return _lib.READ_EXCLUDED
            return _lib.READ_INVALID
        except BaseException as e:  # noqa: B036 - C cannot unwind it
            self._keep(e)
            return _lib.READ_INVALID
        ctypes.memmove(buf, data, size)
        return _lib.READ_OK

    def _symbol(self, arg, name, ret):
        try:
            name = name.decode()
            try:
                ret[0] = self._unrelocate(self.prog.symbol(name).address)
                return True
            except LookupError:
                pass
            value = self.vmcoreinfo().get("SYMBOL(%s)" % name)
            if value is None:
                return False
            ret[0] = int(value, 16)
            return True
        except BaseException as e:  # noqa: B036
            self._keep(e)
            return False

    def _vmcoreinfo_number(self, arg, key, ret):
        """NUMBER(...) lines as the kernel prints them (decimal or 0x
        hex), SYMBOL(...) lines in bare hex (lib/memmap.c asks for them
        on arm64)."""
        try:
            key = key.decode()
            value = self.vmcoreinfo().get(key)
            if value is None or value.startswith("-"):
                return False
            ret[0] = int(value, 16 if key.startswith("SYMBOL(") else 0)
            return True
        except ValueError:
            return False
        except BaseException as e:  # noqa: B036
            self._keep(e)
            return False

    def _unrelocate(self, addr):
        """A per-cpu symbol (runqueues) is an offset into the per-cpu area,
        linked at 0, which KASLR does not move. drgn 0.0.31 adds the KASLR
        offset to it all the same (0.3.0 does not): such a symbol is in the
        lower half and at or past the offset, which no real per-cpu offset
        (well under the 2 MiB KASLR alignment) reaches."""
        if addr >> 63:
            return addr  # a kernel address
        offset = int(self.vmcoreinfo().get("KERNELOFFSET", "0"), 16)
        return addr - offset if offset and addr >= offset else addr

    # ---- struct mml_types_ops ----
    def _composite(self, name):
        try:
            return self.prog.type("struct " + name)
        except LookupError:
            return self.prog.type("union " + name)

    def _member(self, arg, type_name, member, ret):
        try:
            type_name, member = type_name.decode(), member.decode()
            try:
                t = _peel(self._composite(type_name))
            except LookupError:
                return self._error(_lib.ERROR_NOT_FOUND,
                                   "struct %s not in drgn's types" % type_name)
            found = _search(t, member, 0, 0)
            if found is None:
                return self._error(_lib.ERROR_NOT_FOUND,
                                   "struct %s has no member %s"
                                   % (type_name, member))
            offset, mtype = found
            mtype = _peel(mtype)
            kind = _KINDS.get(mtype.kind, _lib.KIND_OTHER)
            info = ret[0]
            info.offset = offset
            info.size = _size(mtype)
            info.kind = kind
            info.count = (mtype.length or 0) if kind == _lib.KIND_ARRAY else 0
            return None
        except BaseException as e:  # noqa: B036
            self._keep(e)
            return self._error(_lib.ERROR_OTHER, "drgn: %s" % e)

    def _type_size(self, arg, type_name, ret):
        try:
            type_name = type_name.decode()
            try:
                t = self._composite(type_name)
            except LookupError:
                return self._error(_lib.ERROR_NOT_FOUND,
                                   "struct %s not in drgn's types" % type_name)
            ret[0] = drgn.sizeof(t)
            return None
        except BaseException as e:  # noqa: B036
            self._keep(e)
            return self._error(_lib.ERROR_OTHER, "drgn: %s" % e)

    def _enumerator(self, arg, enum_name, name, ret):
        try:
            enum_name, name = enum_name.decode(), name.decode()
            try:
                t = self.prog.type("enum " + enum_name)
            except LookupError:
                return self._error(_lib.ERROR_NOT_FOUND,
                                   "enum %s not in drgn's types" % enum_name)
            for e in t.enumerators or ():
                if e.name == name:
                    ret[0] = e.value
                    return None
            return self._error(_lib.ERROR_NOT_FOUND,
                               "enum %s has no enumerator %s"
                               % (enum_name, name))
        except BaseException as e:  # noqa: B036
            self._keep(e)
            return self._error(_lib.ERROR_OTHER, "drgn: %s" % e)


def kdump_level(path):
    """makedumpfile's -d from a kdump-compressed file's sub-header (as the
    CLI reads it, cli/dump/dump_header.c), or None: drgn does not say."""
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(440)
            if len(head) < 440 or head[:8] != b"KDUMP   ":
                return None
            version = int.from_bytes(head[8:12], "little")
            block = int.from_bytes(head[428:432], "little")
            sub_blocks = int.from_bytes(head[432:436], "little")
            if block < 512 or (not sub_blocks and version < 3):
                return None
            f.seek(block + 8)
            level = int.from_bytes(f.read(4), "little")
    except OSError:
        return None
    return level if level <= 31 else None
