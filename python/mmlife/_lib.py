# SPDX-License-Identifier: GPL-2.0-or-later
"""ctypes declarations of libmmlife.so.0 (include/mmlife/*.h).

Only what the Python front end calls: the structs it builds (target, types,
scan options, dump info) mirror the headers field for field; the layout,
the context and the report stay opaque pointers owned by the library
(include/mmlife/bind.h).
"""

import ctypes
import os

SONAME = "libmmlife.so.0"

# enum mml_read_status
READ_OK, READ_INVALID, READ_EXCLUDED = 0, 1, 2

# enum mml_error_code
(ERROR_NOMEM, ERROR_INVALID_ADDRESS, ERROR_EXCLUDED, ERROR_NOT_FOUND,
 ERROR_UNSUPPORTED, ERROR_CORRUPT, ERROR_LIMIT, ERROR_OS, ERROR_INPUT,
 ERROR_USAGE, ERROR_OTHER) = range(1, 12)

# enum mml_member_kind
KIND_OTHER, KIND_INT, KIND_POINTER, KIND_STRUCT, KIND_ARRAY = range(5)

# enum mml_entry_kind
ENTRY_VMA, ENTRY_FOREIGN, ENTRY_XA_ZERO, ENTRY_BAD = range(4)


class Error(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_int),
        ("needs_destroy", ctypes.c_bool),
        ("address", ctypes.c_uint64),
        ("message", ctypes.c_char_p),
    ]


ErrorP = ctypes.POINTER(Error)

# Callbacks return struct mml_error * as a plain address (c_void_p): a
# Python callback can then return 0 for success or the address from
# mml_error_create_message().
READ_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64,
                           ctypes.c_void_p, ctypes.c_size_t)
SYMBOL_FN = ctypes.CFUNCTYPE(ctypes.c_bool, ctypes.c_void_p, ctypes.c_char_p,
                             ctypes.POINTER(ctypes.c_uint64))
VMCOREINFO_FN = ctypes.CFUNCTYPE(ctypes.c_bool, ctypes.c_void_p,
                                 ctypes.c_char_p,
                                 ctypes.POINTER(ctypes.c_uint64))

# enum mml_arch (include/mmlife/target.h)
ARCH_X86_64, ARCH_AARCH64 = 0, 1


class TargetOps(ctypes.Structure):
    _fields_ = [("read", READ_FN), ("symbol", SYMBOL_FN),
                ("vmcoreinfo", VMCOREINFO_FN)]


class Target(ctypes.Structure):
    _fields_ = [
        ("ops", ctypes.POINTER(TargetOps)),
        ("arg", ctypes.c_void_p),
        ("page_size", ctypes.c_uint32),
        ("pointer_size", ctypes.c_uint32),
        ("big_endian", ctypes.c_bool),
        ("arch", ctypes.c_int),
    ]


class MemberInfo(ctypes.Structure):
    _fields_ = [
        ("offset", ctypes.c_uint64),
        ("size", ctypes.c_uint64),
        ("kind", ctypes.c_int),
        ("count", ctypes.c_uint64),
    ]


MEMBER_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p,
                             ctypes.c_char_p, ctypes.POINTER(MemberInfo))
TYPE_SIZE_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p,
                                ctypes.c_char_p,
                                ctypes.POINTER(ctypes.c_uint64))
ENUMERATOR_FN = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p,
                                 ctypes.c_char_p, ctypes.c_char_p,
                                 ctypes.POINTER(ctypes.c_int64))


class TypesOps(ctypes.Structure):
    _fields_ = [
        ("member", MEMBER_FN),
        ("type_size", TYPE_SIZE_FN),
        ("enumerator", ENUMERATOR_FN),
    ]


class Types(ctypes.Structure):
    _fields_ = [("ops", ctypes.POINTER(TypesOps)), ("arg", ctypes.c_void_p)]


class ScanOptions(ctypes.Structure):
    _fields_ = [
        ("pid", ctypes.c_int32),
        ("mm", ctypes.c_uint64),
        ("mmlist", ctypes.c_bool),
        ("fast", ctypes.c_bool),
        ("deep", ctypes.c_bool),
        ("release", ctypes.c_char_p),
        ("dump_level", ctypes.c_int32),
        ("log_lines", ctypes.c_uint32),
        ("fast_why", ctypes.c_char_p),
    ]


class DumpInfo(ctypes.Structure):
    _fields_ = [
        ("path", ctypes.c_char_p),
        ("format", ctypes.c_char_p),
        ("release", ctypes.c_char_p),
        ("build_id", ctypes.c_char_p),
        ("arch", ctypes.c_char_p),
        ("kaslr_offset", ctypes.c_uint64),
        ("type_source", ctypes.c_char_p),
        ("front_end", ctypes.c_char_p),
    ]


class TextOptions(ctypes.Structure):
    _fields_ = [("verbose", ctypes.c_bool)]


class Entry(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_int),
        ("first", ctypes.c_uint64),
        ("last", ctypes.c_uint64),
        ("value", ctypes.c_uint64),
        ("vm_start", ctypes.c_uint64),
        ("vm_end", ctypes.c_uint64),
        ("vm_flags", ctypes.c_uint64),
        ("vm_pgoff", ctypes.c_uint64),
        ("vm_mm", ctypes.c_uint64),
        ("vm_file", ctypes.c_uint64),
        ("dev", ctypes.c_uint32),
        ("ino", ctypes.c_uint64),
        ("file", ctypes.c_char * 256),
    ]


ENTRY_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Entry))
NODE_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint64,
                           ctypes.c_uint, ctypes.c_uint64, ctypes.c_uint64)

_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_STR = ctypes.POINTER(ctypes.c_char_p)

# name: (restype, argtypes)
_PROTOTYPES = {
    "mml_version": (ctypes.c_char_p, []),
    "mml_error_create_message": (_P, [ctypes.c_int, ctypes.c_char_p]),
    "mml_error_destroy": (None, [_P]),
    "mml_error_code_name": (ctypes.c_char_p, [ctypes.c_int]),
    "mml_layout_create": (_P, [ctypes.POINTER(Types), _PP]),
    "mml_layout_destroy": (None, [_P]),
    "mml_ctx_create": (_P, [ctypes.POINTER(Target), _P, _P, _PP]),
    "mml_ctx_destroy": (None, [_P]),
    "mml_scan": (_P, [_P, ctypes.POINTER(ScanOptions), _PP]),
    "mml_report_destroy": (None, [_P]),
    "mml_report_set_dump_info": (_P, [_P, ctypes.POINTER(DumpInfo)]),
    "mml_report_json_string": (_P, [_P, _PP]),
    "mml_report_text_string": (_P, [_P, ctypes.POINTER(TextOptions), _PP]),
    "mml_entry_maps_string": (_P, [ctypes.POINTER(Entry), _PP]),
    "mml_checks_text_string": (_P, [_PP]),
    "mml_fixes_text_string": (_P, [_PP]),
    "mml_string_free": (None, [_P]),
    "mml_mm_walk": (_P, [_P, ctypes.c_uint64, ENTRY_FN, NODE_FN, _P]),
    "mml_pid_to_mm": (_P, [_P, ctypes.c_int32,
                           ctypes.POINTER(ctypes.c_uint64)]),
}


def _candidates():
    """$MMLIFE_LIBRARY; the soname (the dynamic linker's search: Debian's
    package, or an ldconfig'd prefix); then the directory above the package
    and its parents: PREFIX/lib after `make install` under any prefix
    (PREFIX/lib/python3.X/site-packages/mmlife), the build directory for
    $(B)/python/mmlife."""
    env = os.environ.get("MMLIFE_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    dirs = []
    for _ in range(4):
        here = os.path.dirname(here)
        dirs.append(os.path.join(here, SONAME))
    return [SONAME] + dirs


def load():
    """libmmlife.so.0 as _candidates() finds it; OSError if nowhere."""
    tried = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
            break
        except OSError as e:
            tried.append(str(e))
    else:
        raise OSError("libmmlife.so.0 not found: " + "; ".join(tried))
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib
