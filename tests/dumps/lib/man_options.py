# SPDX-License-Identifier: GPL-2.0-or-later
"""The options a --help text lists and the options a man page documents.

    man_options.py help FILE   the options of a --help text's option column
    man_options.py man PAGE    the options of a man page's OPTIONS section
    man_options.py all PAGE    every option named anywhere in a man page

One option a line, sorted. An option is -x or --long (a "--types=..." or
"--log[=N]" gives --types, --log).
"""
import gzip
import re
import sys

OPT = re.compile(r"(?<![\w-])--?[A-Za-z][A-Za-z0-9-]*")


def help_options(text):
    # The option column: a line indented by two spaces that starts with an
    # option, up to the first run of two spaces (the description).
    found = set()
    for line in text.splitlines():
        if re.match(r"^  +-", line):
            found.update(OPT.findall(re.split(r" {2,}", line.strip(), 1)[0]))
    return found


def roff_text(line):
    line = re.sub(r"\\f[BIRP]|\\f\(..|\\[,/&]", "", line)
    return line.replace("\\-", "-")


def man_source(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return f.read()


def man_options(src):
    # help2man writes each option as the tag line after .TP (or the whole
    # paragraph after .HP) in the OPTIONS section.
    found, section, tag = set(), None, False
    for line in src.splitlines():
        if line.startswith(".SH"):
            section = line[3:].strip().strip('"')
            continue
        if section != "OPTIONS":
            continue
        if line in (".TP", ".HP"):
            tag = True
            continue
        if tag and not line.startswith("."):
            found.update(OPT.findall(roff_text(line).split("  ")[0]))
        tag = False
    return found


def all_options(src):
    found = set()
    for line in src.splitlines():
        if not line.startswith('.\\"'):
            found.update(OPT.findall(roff_text(line)))
    return found


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "help":
        opts = help_options(open(path).read())
    elif mode == "man":
        opts = man_options(man_source(path))
    else:
        opts = all_options(man_source(path))
    for o in sorted(opts):
        print(o)


if __name__ == "__main__":
    main()
