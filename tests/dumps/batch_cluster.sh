#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# samples/batch/ run for real, beyond one process tree:
# - slurm-array.sh as an array job (--array=0-1, two shards) on a
#   single-node Slurm cluster on localhost (Debian's slurmctld, slurmd and
#   munged, started here with their own config, key and state in a temp
#   dir), then the merge job with --dependency=afterany, as the sample's
#   header says; then task 1 alone again, which must resume;
# - parallel-ssh.sh with GNU parallel over ssh to localhost (sshd started
#   here on a spare port with its own config, host key and authorized key),
#   then the same command again, which must resume and analyse nothing.
# Each merged database must equal a single-host `mmlife scan` of the same
# files, dump by dump (every stored field but the timings and the host).
# The archive: four real dumps (symlinks) and a truncated one (an error
# record, scan exit 3, which the samples count as a result). Needs root
# (daemons, root's ssh login); nothing in /etc is changed. B=build
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
made_run_sshd=""
# alive PID: running (a daemon that ended is a zombie until whoever
# inherited it reaps it).
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"; }
# stop PIDFILE: end the daemon that wrote it (ours: the files are in $tmp).
stop() {
	[ -s "$1" ] || return 0
	p=$(cat "$1")
	kill "$p" 2>/dev/null || return 0
	i=0
	while alive "$p" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	alive "$p" && kill -9 "$p" 2>/dev/null
	return 0
}
cleanup() {
	if [ -s "$tmp/run/slurmctld.pid" ]; then
		timeout 10 scancel --quiet --user=root 2>/dev/null
		sleep 0.5
	fi
	for d in slurmd slurmctld sshd munged; do stop "$tmp/run/$d.pid"; done
	[ -z "$made_run_sshd" ] || rmdir /run/sshd 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
if [ "$(id -u)" != 0 ]; then
	skip "Slurm array job and GNU parallel over ssh" "needs root: starts munged, slurmctld, slurmd and sshd" 12
	exit 0
fi
miss=""
for c in munged slurmctld slurmd sbatch scontrol sinfo scancel sshd ssh ssh-keygen parallel rsync; do
	command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || miss="$miss $c"
done
if [ -n "$miss" ]; then
	notok "cluster tools installed (sh scripts/deps.sh test as root): missing$miss"
	exit 0
fi
PATH=$PATH:/usr/sbin
# A private copy, first in the PATH of the jobs and of the ssh commands.
mkdir -p "$tmp/bin" "$tmp/run" "$tmp/log" "$tmp/home"
cp "$MMLIFE" "$tmp/bin/mmlife"
MMLIFE=$tmp/bin/mmlife
export PATH="$tmp/bin:$PATH"
# munged wants its socket's directories searchable by everyone.
chmod 711 "$tmp"
chmod 755 "$tmp/run"

a=$tmp/archive
mkdir -p "$a/bad"
all=$(dumps)
names=""
for d in 6.12-baseline 6.12-failed-fork 6.12-swapoff-oops 7.2-failed-fork; do
	echo "$all" | grep -qx "$d" && names="$names $d"
done
[ -n "$names" ] || names=$(echo "$all" | head -n 4)
[ -n "$names" ] || { skip "cluster scans" "no dump in vmcores/" 12; exit 0; }
ndumps=0
for d in $names; do
	ln -s "$top/vmcores/$d/vmcore" "$a/$d.vmcore"
	ndumps=$((ndumps + 1))
	first=$d
done
head -c 200000 "$top/vmcores/$first/vmcore" >"$a/bad/truncated.vmcore"
total=$((ndumps + 1))

# spare_port: one that nothing listens on now.
spare_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
secs() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$@"; }
now() { date +%s.%N; }

# The records of a database without what changes between runs and hosts.
records() { # DB OUT
	"$MMLIFE" report --jsonl "$1" | python3 -c 'import json,sys
out = {}
for line in sys.stdin:
    r = json.loads(line)
    for k in ("scanned_at", "duration_ms", "host"):
        r.pop(k, None)
    out[r["path"]] = r
json.dump(out, open(sys.argv[1], "w"), sort_keys=True)' "$2"
}
# same_as_ref DESCRIPTION DB: the database holds exactly the reference's
# dumps, each with the same record (status, findings, verdicts, counts...).
same_as_ref() {
	records "$2" "$tmp/got.json"
	if diff=$(python3 -c 'import json,sys
ref = json.load(open(sys.argv[1])); got = json.load(open(sys.argv[2]))
for p in sorted(set(ref) | set(got)):
    if p not in got:
        print("missing %s (%s)" % (p, ref[p]["status"]))
    elif p not in ref:
        print("extra %s (%s)" % (p, got[p]["status"]))
    elif ref[p] != got[p]:
        keys = sorted(k for k in set(ref[p]) | set(got[p]) if ref[p].get(k) != got[p].get(k))
        print("differs %s: %s (status %s, reference %s)" % (p, ", ".join(keys), got[p]["status"], ref[p]["status"]))
' "$tmp/ref.json" "$tmp/got.json") && [ -z "$diff" ]; then
		ok "$1"
	else
		notok "$1"
		echo "$diff" | sed 's/^/#   /'
	fi
}
# shards DESCRIPTION DIR: shard-0.db and shard-1.db each hold some dumps,
# none twice, all of them together.
shards() {
	c0=$("$MMLIFE" report --jsonl "$2/shard-0.db" 2>/dev/null | wc -l)
	c1=$("$MMLIFE" report --jsonl "$2/shard-1.db" 2>/dev/null | wc -l)
	if [ "$c0" -gt 0 ] && [ "$c1" -gt 0 ] && [ $((c0 + c1)) -eq "$total" ]; then
		ok "$1: shard 0 holds $c0 dumps, shard 1 $c1, $total in all"
	else
		notok "$1: each shard holds some of the $total dumps, none twice"
		echo "#   shard 0: $c0, shard 1: $c1"
	fi
}

# The reference: one host, one database.
t0=$(now)
"$MMLIFE" scan -q -j 2 --db "$tmp/ref.db" -o /dev/null "$a" >"$tmp/ref.out" 2>&1
rc=$?
t1=$(now)
records "$tmp/ref.db" "$tmp/ref.json"
got=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(len(r), sum(v["status"] == "error" for v in r.values()))' "$tmp/ref.json")
check "single-host scan: $total dumps stored, 1 error (the truncated one), exit 3" \
	"$total 1 3" "$got $rc"
echo "# single-host scan of $total dumps: $(secs "$t0" "$t1") s"

# ---- Slurm ----
slurm() {
	dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 2>/dev/null
	chmod 400 "$tmp/munge.key"
	munged --key-file="$tmp/munge.key" --socket="$tmp/run/munge.sock" \
		--pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" \
		--seed-file="$tmp/munged.seed" >>"$tmp/log/munged.log" 2>&1 || {
		notok "slurm: munged starts"; tail -n 5 "$tmp/log/munged.log" | sed 's/^/#   /'; return; }
	mem=$(awk '/^MemTotal:/ { m = int($2 / 2048); print (m > 4096 ? 4096 : m) }' /proc/meminfo)
	mkdir -p "$tmp/slurm/state" "$tmp/slurm/spool" "$tmp/slurm/jobs"
	cat >"$tmp/slurm/slurm.conf" <<EOF
ClusterName=mmlife-test
SlurmctldHost=localhost
SlurmctldPort=$(spare_port)
SlurmdPort=$(spare_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/run/munge.sock
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
	export SLURM_CONF="$tmp/slurm/slurm.conf"
	slurmctld -i >>"$tmp/log/slurmctld.log" 2>&1
	slurmd -N localhost >>"$tmp/log/slurmd.log" 2>&1
	i=0
	while [ "$(sinfo -h -o %t 2>/dev/null)" != idle ] && [ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	state=$(sinfo -h -o %t 2>&1)
	check "slurm: munged, slurmctld and slurmd up, node localhost idle" idle "$state"
	if [ "$state" != idle ]; then
		tail -n 5 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" | sed 's/^/#   /'
		return
	fi

	# As the sample's header says, with a node-sized task (1 CPU).
	cd "$tmp/slurm/jobs" || return
	t0=$(now)
	jid=$(sbatch --parsable --cpus-per-task=1 --mem=512M --array=0-1 \
		"$top/samples/batch/slurm-array.sh" "$a" 2>"$tmp/sbatch.err")
	if [ -z "$jid" ]; then
		notok "slurm: sbatch --array=0-1 slurm-array.sh accepted"
		sed 's/^/#   /' "$tmp/sbatch.err"
		cd "$top" || exit 1; return
	fi
	timeout 120 sbatch --wait --quiet --dependency=afterany:"$jid" --wrap \
		'mmlife db merge results/all.db results/shard-*.db' >/dev/null 2>"$tmp/sbatch.err"
	rc=$?
	t1=$(now)
	tasks=$(scontrol -o show job "$jid" 2>/dev/null |
		grep -c 'JobState=COMPLETED .*ExitCode=0:0')
	check "slurm: array job $jid's 2 tasks completed, exit 0; the merge job exit 0" \
		"2 0" "$tasks $rc"
	[ "$tasks" = 2 ] || tail -n 5 mmlife-scan-*.log 2>/dev/null | sed 's/^/#   /'
	shards "slurm: shards" results
	same_as_ref "slurm: merged database = the single-host scan, dump by dump" results/all.db
	echo "# slurm: $total dumps, 2 array tasks, sbatch to merged database in $(secs "$t0" "$t1") s"
	# What the controller saw: sbatch --wait polls at growing intervals.
	python3 -c 'import re,sys,datetime
t = lambda l: datetime.datetime.fromisoformat(l[1:24]).timestamp()
sub = done = None; runs = {}
for l in open(sys.argv[1]):
    if "_slurm_rpc_submit_batch_job" in l and sub is None: sub = t(l)
    m = re.search(r"sched: Allocate JobId=(\S+)", l)
    if m: runs[m.group(1)] = t(l)
    m = re.search(r"_job_complete: JobId=(\S+) WEXITSTATUS", l)
    if m and m.group(1) in runs: runs[m.group(1)] = t(l) - runs[m.group(1)]; done = t(l)
print("# slurm: in slurmctld.log, first submission to merge job done %.1f s; each job ran %s s"
      % (done - sub, ", ".join("%.1f" % v for v in runs.values())))' "$tmp/log/slurmctld.log" 2>/dev/null
	# Task 1 again on its own, as the header says: with the shard count it
	# resumes (its records stay as they were, scan times included);
	# without, it refuses rather than take the array's 1 task for 1 shard.
	"$MMLIFE" report --jsonl results/shard-1.db >"$tmp/s1-before.jsonl"
	timeout 60 sbatch --wait --quiet --cpus-per-task=1 --mem=512M --array=1 \
		"$top/samples/batch/slurm-array.sh" "$a" 2 >/dev/null 2>&1
	rc=$?
	timeout 60 sbatch --wait --quiet --cpus-per-task=1 --mem=512M --array=1 \
		"$top/samples/batch/slurm-array.sh" "$a" >/dev/null 2>&1
	rc2=$?
	"$MMLIFE" report --jsonl results/shard-1.db >"$tmp/s1-after.jsonl"
	if cmp -s "$tmp/s1-before.jsonl" "$tmp/s1-after.jsonl"; then same=same; else same=changed; fi
	check "slurm: --array=1 with N=2 resumes (exit 0, shard 1 unchanged); without N it refuses (exit 2)" \
		"0 same 2" "$rc $same $rc2"
	cd "$top" || exit 1
}
slurm

# ---- GNU parallel over ssh ----
ssh_run() {
	s=$tmp/ssh
	mkdir -p "$s"
	if ! ssh-keygen -q -t ed25519 -N '' -f "$s/host_key" ||
		! ssh-keygen -q -t ed25519 -N '' -f "$s/id"; then
		notok "ssh: keys made"
		return
	fi
	cp "$s/id.pub" "$s/authorized_keys"
	port=$(spare_port)
	# StrictModes no: the key is below /tmp, which everyone can write.
	cat >"$s/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $s/host_key
PidFile $tmp/run/sshd.pid
AuthorizedKeysFile $s/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
	cat >"$s/ssh_config" <<EOF
Host mmlife-test
	HostName 127.0.0.1
	Port $port
	User root
	IdentityFile $s/id
	IdentitiesOnly yes
	BatchMode yes
	StrictHostKeyChecking no
	UserKnownHostsFile $s/known_hosts
	LogLevel ERROR
EOF
	# sshd's privilege separation directory, as its service makes it.
	if [ ! -d /run/sshd ]; then
		mkdir -m 755 /run/sshd && made_run_sshd=1
	fi
	"$(command -v sshd)" -f "$s/sshd_config" -E "$tmp/log/sshd.log"
	i=0
	until out=$(ssh -F "$s/ssh_config" mmlife-test echo up 2>&1) || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "ssh: sshd on 127.0.0.1:$port takes the test's key" up "$out"
	[ "$out" = up ] || { tail -n 5 "$tmp/log/sshd.log" | sed 's/^/#   /'; return; }

	# As the sample's header says: 2 shards, both on the one host.
	mkdir -p "$tmp/ssh-run"
	cd "$tmp/ssh-run" || return
	run() {
		HOME=$tmp/home ARCHIVE=$a HOSTS=2/mmlife-test N=2 MMLIFE=$MMLIFE \
			PARALLEL_SSH="ssh -F $s/ssh_config" \
			timeout 120 sh "$top/samples/batch/parallel-ssh.sh" >"$tmp/parallel.out" 2>&1
	}
	t0=$(now)
	run
	rc=$?
	t1=$(now)
	check "ssh: parallel-ssh.sh exits 0" 0 "$rc"
	[ "$rc" = 0 ] || tail -n 8 "$tmp/parallel.out" | sed 's/^/#   /'
	shards "ssh: shards" mmlife-results
	same_as_ref "ssh: merged database = the single-host scan, dump by dump" mmlife-results/all.db
	echo "# ssh: $total dumps, 2 shards over ssh, to merged database in $(secs "$t0" "$t1") s"

	# The same command again: every shard's database went out and came
	# back, so nothing is analysed again: each shard's records, timings and
	# scan times included, stay as they were, and the merge adds or
	# replaces nothing.
	snap() { for i in 0 1; do "$MMLIFE" report --jsonl "mmlife-results/shard-$i.db"; done; }
	snap >"$tmp/before.jsonl"
	t0=$(now)
	run
	rc=$?
	echo "# ssh: the re-run (nothing to analyse) in $(secs "$t0" "$(now)") s"
	snap >"$tmp/after.jsonl"
	if cmp -s "$tmp/before.jsonl" "$tmp/after.jsonl"; then same=same; else same=changed; fi
	merged=$(grep -o '[0-9]* dumps added, [0-9]* replaced' "$tmp/parallel.out")
	check "ssh: the same command again resumes: exit 0, shard records unchanged, merge adds none" \
		"0 same 0 dumps added, 0 replaced" "$rc $same $merged"
	[ $same = same ] || diff "$tmp/before.jsonl" "$tmp/after.jsonl" | cut -c1-150 | head -n 4 | sed 's/^/#   /'
	same_as_ref "ssh: merged database after the re-run = the single-host scan" mmlife-results/all.db
	cd "$top" || exit 1
}
ssh_run
