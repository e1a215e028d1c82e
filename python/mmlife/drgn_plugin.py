# SPDX-License-Identifier: GPL-2.0-or-later
"""The drgn plugin (entry point "mmlife" of group "drgn.plugins"): an
"mmlife" command in drgn's crash compatibility mode (drgn-crash, %crash)
and in drgn's own command mode (%mmlife), with the crash extension's
options (ext/options.c). drgn imports this module when it sets up a
Program; importing it registers the commands.

drgn before 0.1 has no commands: the plugin then registers nothing and
mmlife.scan() / mmlife.report() are the way in.
"""

import sys

import drgn

import mmlife

DESCRIPTION = "check every mm_struct and its VMA maple tree"
LONG_DESCRIPTION = """
Walks every task's mm_struct, decodes its maple tree (mm->mm_mt) without
trusting it, and reports what is wrong: XA_ZERO markers left by a failed
fork, stale VMAs of another mm, empty trees of live tasks, MMF_OOM_SKIP /
MMF_UNSTABLE flags that disagree with the tree, and structural damage. A bad
tree or a page the dump lacks is a finding, never an error that stops the
session. The same core as the mmlife command and crash's mmlife.so
(libmmlife.so.0), reading through drgn.
"""


def _run(prog, args, task_pid):
    """The command's work; failures are said on stderr, never raised (^C
    is: drgn's prompt takes it)."""
    if args.l:
        sys.stdout.write("Checks (finding ids):\n" + mmlife.checks_text() +
                         "\nUpstream fixes (commit, first release, title):\n" +
                         mmlife.fixes_text())
        return
    try:
        pid = task_pid(prog, args.p) if args.p is not None else 0
        with mmlife.Session(prog) as s:
            kw = dict(pid=pid, mm=args.m or 0, deep=args.a, fast=args.f)
            if args.j:
                out = s.report_json(**kw)
            else:
                out = s.report_text(verbose=args.v, trees=args.v, **kw)
    except Exception as e:  # noqa: BLE001 - said, and the session goes on
        sys.stderr.write("mmlife: %s\n" % e)
        return
    sys.stdout.write(out)


def _register():
    try:
        from drgn.commands import argument, command, mutually_exclusive_group
    except ImportError:
        return  # drgn < 0.1: no commands
    try:
        from drgn.commands._crash.common import crash_command, crash_get_context
    except ImportError:
        crash_command = crash_get_context = None

    def options(pid_type):
        return (
            mutually_exclusive_group(
                argument("-a", action="store_true",
                         help="search the whole memmap for mm_struct slabs "
                         "(the CLI's --deep)"),
                argument("-f", action="store_true",
                         help="only tasks and init_mm.mmlist (the CLI's "
                         "--fast): misses most failed forks' children"),
            ),
            argument("-j", action="store_true",
                     help="print the report as JSON (the CLI's schema)"),
            argument("-l", action="store_true",
                     help="list the checks and the upstream fixes mmlife "
                     "knows"),
            argument("-v", action="store_true",
                     help="list every mm, and dump each tree's nodes and "
                     "entries"),
            argument("-p", metavar="pid|task", type=pid_type,
                     help="only the mm of this pid or task_struct address"),
            argument("-m", metavar="mm", type="hexadecimal",
                     help="only this mm_struct, even if no task uses it"),
        )

    def plain_pid(prog, pid):
        return pid

    @command(name="mmlife", description=DESCRIPTION,
             long_description=LONG_DESCRIPTION, arguments=options(int),
             enabled=lambda prog: bool(
                 prog.flags & drgn.ProgramFlags.IS_LINUX_KERNEL))
    def _cmd_mmlife(prog, name, args, **kwargs):
        _run(prog, args, plain_pid)

    if crash_command is None:
        return

    def crash_pid(prog, arg):
        # A pid goes to the core as is: its own task walk finds it even
        # where drgn's pid lookup meets a page the dump lacks.
        if arg[0] == "pid":
            return arg[1]
        return crash_get_context(prog, arg).pid.value_()

    @crash_command(name="mmlife", description=DESCRIPTION,
                   long_description=LONG_DESCRIPTION,
                   arguments=options("pid_or_task"))
    def _crash_cmd_mmlife(prog, name, args, **kwargs):
        _run(prog, args, crash_pid)


_register()


def drgn_prog_set(prog):
    """drgn's plugin hook; the commands are registered at import."""
