#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Scan a dump archive on a shared filesystem as a Slurm array job: task I of
# N scans shard I/N into its own database, then one more job merges them.
# Submit both from a directory on the shared filesystem (the tasks write
# results/ there, the merge reads it), with mmlife in the PATH (sbatch
# passes the submitting shell's environment on):
#
#   sbatch --parsable --array=0-15 slurm-array.sh /archive/vmcores    # JOBID
#   sbatch --dependency=afterany:JOBID --wrap \
#       'mmlife db merge results/all.db results/shard-*.db'
#
# Array indices must run from 0 to N-1 (Slurm's 0-based task ids; a
# Kubernetes indexed Job's JOB_COMPLETION_INDEX works the same way). N is
# the array's task count; give it as the second argument when the array is
# not 0-(N-1), e.g. to run task 3 of 16 again on its own:
#
#   sbatch --array=3 slurm-array.sh /archive/vmcores 16
#
# Requeueing or resubmitting a task resumes it: its database already holds
# the dumps it finished, and a dump is stored in one transaction as soon as
# it is done, so a task killed at its time limit loses only the dumps it
# was in the middle of. The resources below are per task; options on the
# sbatch command line override them (--cpus-per-task=1 --mem=4G on small
# nodes).
#SBATCH --job-name=mmlife-scan
#SBATCH --cpus-per-task=4
#SBATCH --mem=18G
#SBATCH --time=04:00:00
#SBATCH --output=mmlife-scan-%A_%a.log
set -u
ARCHIVE=${1:?usage: sbatch --array=0-N-1 slurm-array.sh ARCHIVE [N]}
I=${SLURM_ARRAY_TASK_ID:?not in an array job}
if [ $# -ge 2 ]; then
	N=$2
elif [ "${SLURM_ARRAY_TASK_MIN:-0}" -eq 0 ] &&
	[ "${SLURM_ARRAY_TASK_COUNT:-0}" -eq $((SLURM_ARRAY_TASK_MAX + 1)) ]; then
	N=$SLURM_ARRAY_TASK_COUNT
else
	# A partial array (--array=3, 0-15:2, 1-15) does not say how many
	# shards there are; guessing would scan the wrong files.
	echo "slurm-array.sh: array is not 0-(N-1): give N as the second argument" >&2
	exit 2
fi
mkdir -p results

# One worker per CPU, each capped at 4 GiB of address space (4 x 4G fits in
# --mem), 10 minutes per dump. Each shard's database is opened by this task
# only (SQLite's WAL must not be shared between hosts). No progress bar in a
# batch log: plain lines, one per dump.
mmlife scan -j "${SLURM_CPUS_PER_TASK:-1}" --mem-limit 4G --timeout 10m \
	--shard "$I/$N" --db "results/shard-$I.db" \
	-o "results/shard-$I.jsonl" "$ARCHIVE"
rc=$?
# 1: findings, 3: some dumps could not be analysed (each recorded with its
# error), 4: some dumps lack pages the analysis needed: all are results.
# Anything else is the job's own failure.
case $rc in 0|1|3|4) exit 0 ;; *) exit "$rc" ;; esac
