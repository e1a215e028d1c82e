#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/scan-bench.sh BENCHDIR OUTDIR: issue 18's scan targets, for
# bench/run.sh: `mmlife scan` of one dump against the CLI on the bench's
# zlib and uncompressed dumps (BENCHDIR/vmcore, vmcore-plain) and on a real
# ELF dump of an 8 GB guest (bench/gen-elf8g.sh, cached); `-j N` on an
# archive of the fixtures; the resume of 10,000 unchanged files. Records in
# OUTDIR/results.jsonl (bench/scan.py), read by bench/report.py.
#   B=build  BENCH_ELF8G=0 (no 8 GB ELF dump)  and bench/scan.py's variables
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
D=${1:?usage: scan-bench.sh BENCHDIR OUTDIR}
W=${2:?usage: scan-bench.sh BENCHDIR OUTDIR}
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
rm -rf "$W"
mkdir -p "$W"
dumps=()
for v in zlib:vmcore plain:vmcore-plain; do
	[ -f "$D/${v#*:}" ] && dumps+=("${v%%:*}=$D/${v#*:}")
done
if [ "${BENCH_ELF8G:-1}" = 1 ]; then
	if E=$("$here/gen-elf8g.sh"); then
		dumps+=("elf8g=$E")
		cp "$(dirname "$E")/stamp.json" "$W/elf8g-stamp.json"
	else
		log "no 8 GB ELF dump: the scan of one dump is measured on the kdump files only"
	fi
fi
python3 "$here/scan.py" "$W" "${dumps[@]}"
