#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scan a dump archive that every host mounts at the same place (NFS) with
# GNU parallel over ssh: N shards, a few per host, each shard with its own
# database; the databases come back here and are merged.
#
#   ARCHIVE=/srv/vmcores HOSTS=4/node1,4/node2 N=16 sh parallel-ssh.sh
#
# Needs GNU parallel here, rsync on both ends, mmlife here and on every
# host (MMLIFE=/path/to/mmlife, the same path everywhere, when it is not in
# the PATH of a non-interactive ssh session), and ssh to every host without
# a password prompt (ssh options in ~/.ssh/config, or PARALLEL_SSH="ssh -F
# FILE").
#
# A shard is chosen by the SHA-256 of each file's path relative to ARCHIVE,
# so the hosts may mount the archive at different places (give each its
# own path then) and still agree on the split. Each shard's database lives
# here, in $OUT: it goes to the host that runs the shard and comes back
# with what was added, so re-running the same command resumes: a shard
# skips what its database already holds, wherever it runs this time.
set -eu
ARCHIVE=${ARCHIVE:-/srv/vmcores}
HOSTS=${HOSTS:-4/node1,4/node2}       # JOBS/host: shards run at once there
N=${N:-16}                           # shards in all
OUT=${OUT:-mmlife-results}           # relative: it is the same below the
MMLIFE=${MMLIFE:-mmlife}             # remote work directory
mkdir -p "$OUT"
i=0
while [ $i -lt "$N" ]; do
	# An empty file is an empty SQLite database; JSON Lines are appended.
	touch "$OUT/shard-$i.db" "$OUT/shard-$i.jsonl"
	i=$((i + 1))
done

# Each shard: 2 workers, in a fresh work directory on its host (--wd ...,
# removed by --cleanup with what was sent and brought back). Exit 1
# (findings), 3 (some dumps failed, recorded as such) and 4 (some dumps
# lack pages the analysis needed) are results.
seq 0 $((N - 1)) | parallel --sshlogin "$HOSTS" --wd ... \
	--transferfile "$OUT/shard-{}.db" --transferfile "$OUT/shard-{}.jsonl" \
	--return "$OUT/shard-{}.db" --return "$OUT/shard-{}.jsonl" \
	--cleanup --tag \
	"$MMLIFE scan -q -j 2 --timeout 600 --mem-limit 4G --shard {}/$N \
	  --db $OUT/shard-{}.db -o $OUT/shard-{}.jsonl $ARCHIVE; \
	  rc=\$?; [ \$rc -le 1 ] || [ \$rc -eq 3 ] || [ \$rc -eq 4 ]"

# One database for the whole archive, then the everyday questions.
"$MMLIFE" db merge "$OUT/all.db" "$OUT"/shard-*.db
"$MMLIFE" report "$OUT/all.db"
"$MMLIFE" report --finding orphan-fork "$OUT/all.db"
