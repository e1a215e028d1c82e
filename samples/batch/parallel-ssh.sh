#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scan a dump archive that every host mounts at the same place (NFS) with
# GNU parallel over ssh: N shards, a few per host, each shard with its own
# database; the databases come back here and are merged.
#
#   ARCHIVE=/srv/vmcores HOSTS=4/node1,4/node2 N=16 sh parallel-ssh.sh
#
# A shard is chosen by the SHA-256 of each file's path relative to ARCHIVE,
# so the hosts may mount the archive at different places (give each its
# own path then) and still agree on the split. Re-running the same command
# resumes: a shard skips what its database already holds.
set -eu
ARCHIVE=${ARCHIVE:-/srv/vmcores}
HOSTS=${HOSTS:-4/node1,4/node2}       # JOBS/host: shards run at once there
N=${N:-16}                           # shards in all
OUT=${OUT:-mmlife-results}
mkdir -p "$OUT"

# Each shard: 2 workers, one database and one JSON Lines file in the remote
# home directory, brought back (--return) and removed there (--cleanup).
# Exit 1 (findings) and 3 (some dumps failed, recorded as such) are results.
seq 0 $((N - 1)) | parallel --sshlogin "$HOSTS" --return "shard-{}.db" \
	--return "shard-{}.jsonl" --cleanup --tag \
	"mmlife scan -q -j 2 --timeout 600 --mem-limit 4G --shard {}/$N \
	  --db shard-{}.db -o shard-{}.jsonl $ARCHIVE; \
	  rc=\$?; [ \$rc -le 1 ] || [ \$rc -eq 3 ]"
mv shard-*.db shard-*.jsonl "$OUT"/

# One database for the whole archive, then the everyday questions.
mmlife db merge "$OUT/all.db" "$OUT"/shard-*.db
mmlife report "$OUT/all.db"
mmlife report --finding orphan-fork "$OUT/all.db"
