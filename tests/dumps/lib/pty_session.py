# SPDX-License-Identifier: GPL-2.0-or-later
"""Drive an interactive prompt on a terminal, as a user would: run COMMAND
on a pseudo-terminal, and each time PROMPT shows, type the next line of
LINES (drgn-crash wants a terminal: Python's REPL needs termios). Writes
what the terminal showed, escape sequences removed, to stdout; exits with
the command's status, or 124 after TIMEOUT seconds.
    python3 pty_session.py TIMEOUT PROMPT LINES COMMAND...
"""

import os
import pty
import re
import select
import sys
import time

timeout, prompt = float(sys.argv[1]), sys.argv[2].encode()
lines = open(sys.argv[3]).read().splitlines()
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execvp(sys.argv[4], sys.argv[4:])
seen = b""
typed = 0
mark = 0  # the prompt to answer comes after a newline past here
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    r, _, _ = select.select([fd], [], [], 0.5)
    if not r:
        continue
    try:
        data = os.read(fd, 65536)
    except OSError:
        break  # the command closed the terminal
    if not data:
        break
    seen += data
    # Type the next line once a fresh prompt shows: after the newline
    # that ended the last line typed (the prompt redrawn while a line is
    # echoed has none before it).
    nl = seen.find(b"\n", mark)
    if nl >= 0 and seen.find(prompt, nl) >= 0:
        line = lines[typed] if typed < len(lines) else "exit"
        typed += 1
        mark = len(seen)
        os.write(fd, line.encode() + b"\r")
else:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.stdout.write(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "",
                            seen.decode(errors="replace")))
    sys.exit(124)
_, status = os.waitpid(pid, 0)
sys.stdout.write(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "",
                        seen.decode(errors="replace")))
sys.exit(os.waitstatus_to_exitcode(status))
