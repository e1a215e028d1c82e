# SPDX-License-Identifier: GPL-2.0-or-later
"""mmlife in drgn: the C core of mmlife (libmmlife.so.0) over a drgn Program.

    import mmlife
    report = mmlife.scan(prog)        # the CLI's JSON (schema_version 1)
    mmlife.report(prog)               # the text report

Memory is read through the Program, types come from drgn's type system and
symbols from drgn; the checks are the library's, not a copy in Python. A
damaged tree or a page the dump lacks is a finding in the report, never an
exception; mmlife.Error is raised only when no report can be made at all
(not a Linux kernel, a kernel mmlife does not handle).
"""

import contextlib
import ctypes
import json
import sys

import drgn

from . import _lib
from ._drgn import Backend, kdump_level

__all__ = ["Error", "Session", "scan", "report", "checks_text", "fixes_text",
           "SCHEMA_VERSION", "FRONT_END_FIELDS"]

SCHEMA_VERSION = 1
# The JSON fields that name the front end or how it read the dump: they
# differ from the CLI's (tests/dumps/drgn_frontend.sh leaves them out).
FRONT_END_FIELDS = ("tool.front_end", "dump.path", "dump.format",
                    "dump.type_source")

_libmmlife = None


def _lib_handle():
    global _libmmlife
    if _libmmlife is None:
        _libmmlife = _lib.load()
    return _libmmlife


class Error(Exception):
    """A failure of the core that leaves no report (struct mml_error)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _raise_if(lib, err):
    """Raise (and free) the struct mml_error * @err; nothing for NULL."""
    if not err:
        return
    e = ctypes.cast(err, _lib.ErrorP).contents
    code = lib.mml_error_code_name(e.code)
    exc = Error(code.decode() if code else str(e.code),
                (e.message or b"").decode(errors="replace"))
    lib.mml_error_destroy(err)
    raise exc


def _take_string(lib, err, ptr):
    _raise_if(lib, err)
    try:
        return ctypes.string_at(ptr.value).decode(errors="replace")
    finally:
        lib.mml_string_free(ptr)


class Session:
    """The core over one Program: a layout resolved through drgn's types
    and a context reading through prog.read(). Close it (or use it as a
    context manager); scan() may be called any number of times."""

    def __init__(self, prog=None):
        self.prog = prog if prog is not None else drgn.get_default_prog()
        if not self.prog.flags & drgn.ProgramFlags.IS_LINUX_KERNEL:
            raise Error("UNSUPPORTED", "not a Linux kernel program")
        self.lib = _lib_handle()
        self.backend = Backend(self.prog, self.lib)
        self._layout = ctypes.c_void_p()
        self._ctx = ctypes.c_void_p()
        try:
            self._call(self.lib.mml_layout_create,
                       ctypes.byref(self.backend.types),
                       ctypes.byref(self._layout))
            self._call(self.lib.mml_ctx_create,
                       ctypes.byref(self.backend.target), self._layout, None,
                       ctypes.byref(self._ctx))
        except BaseException:
            self.close()
            raise

    def close(self):
        if self._ctx:
            self.lib.mml_ctx_destroy(self._ctx)
            self._ctx = ctypes.c_void_p()
        if self._layout:
            self.lib.mml_layout_destroy(self._layout)
            self._layout = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, fn, *args):
        """Call the core; then re-raise what a callback kept (^C first),
        else raise the core's error."""
        self.backend.pending = None
        err = fn(*args)
        pending, self.backend.pending = self.backend.pending, None
        if pending is not None:
            if err:
                self.lib.mml_error_destroy(err)
            raise pending
        _raise_if(self.lib, err)

    @contextlib.contextmanager
    def _report(self, pid=0, mm=0, deep=False, fast=False, path=None,
                dump_level=None, log_lines=0):
        if deep and fast:
            raise ValueError("deep and fast exclude each other")
        info = self.backend.vmcoreinfo()
        path = path or getattr(self.prog, "core_dump_path", None)
        if dump_level is None:
            dump_level = kdump_level(path)
        release = info.get("OSRELEASE")
        opts = _lib.ScanOptions(
            pid=pid or 0, mm=mm or 0, mmlist=True, fast=fast, deep=deep,
            release=release.encode() if release else None,
            dump_level=-1 if dump_level is None else dump_level,
            log_lines=log_lines)
        rep = ctypes.c_void_p()
        self._call(self.lib.mml_scan, self._ctx, ctypes.byref(opts),
                   ctypes.byref(rep))
        try:
            self._set_dump_info(rep, info, path)
            yield rep
        finally:
            self.lib.mml_report_destroy(rep)

    def _set_dump_info(self, rep, info, path):
        live = bool(self.prog.flags & drgn.ProgramFlags.IS_LIVE)

        def enc(s):
            return s.encode() if s else None
        d = _lib.DumpInfo(
            path=enc(path or ("live system" if live else None)),
            format=b"live kernel (drgn)" if live else b"core dump (read by drgn)",
            release=enc(info.get("OSRELEASE")),
            build_id=enc(info.get("BUILD-ID")),
            arch=enc(self.prog.platform.arch.name.lower()),
            kaslr_offset=int(info.get("KERNELOFFSET", "0"), 16),
            type_source=b"drgn", front_end=b"drgn")
        _raise_if(self.lib, self.lib.mml_report_set_dump_info(
            rep, ctypes.byref(d)))

    def _json(self, rep):
        s = ctypes.c_void_p()
        err = self.lib.mml_report_json_string(rep, ctypes.byref(s))
        return _take_string(self.lib, err, s)

    def _text(self, rep, verbose):
        s = ctypes.c_void_p()
        topts = _lib.TextOptions(verbose=verbose)
        err = self.lib.mml_report_text_string(rep, ctypes.byref(topts),
                                              ctypes.byref(s))
        return _take_string(self.lib, err, s)

    def scan(self, **kwargs):
        """The report model as the CLI's JSON (schema_version 1), parsed."""
        with self._report(**kwargs) as rep:
            return json.loads(self._json(rep))

    def report_text(self, verbose=False, trees=False, **kwargs):
        """The text report (with @verbose every mm; with @trees each mm's
        nodes and entries after it, as crash's mmlife -v)."""
        with self._report(**kwargs) as rep:
            text = self._text(rep, verbose)
            if trees:
                for m in json.loads(self._json(rep))["mms"]:
                    mm = int(m["address"], 16)
                    text += "\n  tree of mm %016x:\n" % mm
                    text += self.tree_text(mm)
            return text

    def report_json(self, **kwargs):
        """The JSON report as the CLI prints it (mmlife --json)."""
        with self._report(**kwargs) as rep:
            return self._json(rep)

    def tree_text(self, mm):
        """The nodes and entries of @mm's tree, as crash's mmlife -v."""
        lines = []

        def node(arg, depth, addr, type_, first, last):
            lines.append("      %snode %016x type %u [%x-%x]"
                         % ("  " * depth, addr, type_, first, last))

        def entry(arg, e):
            s = ctypes.c_void_p()
            err = self.lib.mml_entry_maps_string(e, ctypes.byref(s))
            if err:
                self.lib.mml_error_destroy(err)
                return
            try:
                lines.append("        " + ctypes.string_at(s.value)
                             .decode(errors="replace").rstrip("\n"))
            finally:
                self.lib.mml_string_free(s)
        # Keep the callbacks referenced until mml_mm_walk() returns.
        node_fn, entry_fn = _lib.NODE_FN(node), _lib.ENTRY_FN(entry)
        try:
            self._call(self.lib.mml_mm_walk, self._ctx, mm, entry_fn, node_fn,
                       None)
        except Error as e:
            lines.append("      %s" % e)
        return "\n".join(lines) + "\n"


def scan(prog=None, *, pid=0, mm=0, deep=False, fast=False, path=None,
         dump_level=None, log_lines=0):
    """Scan every mm of @prog (default: drgn's default program) and return
    the report as the CLI's JSON has it (mmlife --json, schema_version 1).

    Options as the CLI's: @pid or @mm select one mm; @deep searches the
    whole memmap for mm_struct slabs (--deep), @fast only tasks and
    init_mm.mmlist (--fast). @path names the dump in the report (default:
    prog.core_dump_path where drgn has it); @dump_level is makedumpfile's
    -d (default: read from a kdump file's header at @path).
    """
    with Session(prog) as s:
        return s.scan(pid=pid, mm=mm, deep=deep, fast=fast, path=path,
                      dump_level=dump_level, log_lines=log_lines)


def report(prog=None, *, file=None, verbose=False, **kwargs):
    """Print the text report of scan() to @file (default: sys.stdout)."""
    with Session(prog) as s:
        text = s.report_text(verbose=verbose, **kwargs)
    (file or sys.stdout).write(text)


def checks_text():
    """The check catalogue, as mmlife --checks prints it."""
    lib = _lib_handle()
    s = ctypes.c_void_p()
    return _take_string(lib, lib.mml_checks_text_string(ctypes.byref(s)), s)


def fixes_text():
    """The upstream-fix catalogue, as mmlife --fixes prints it."""
    lib = _lib_handle()
    s = ctypes.c_void_p()
    return _take_string(lib, lib.mml_fixes_text_string(ctypes.byref(s)), s)

