#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the benchmark guest (bench/gen-large.sh), laid over the generator's
# initramfs. The usual background processes, then `large NPROC NVMAS`
# (bench/large.c), then on "go" from /dev/ttyS1 a failed fork (forkfail in a
# memory cgroup) that gdb catches at exit_mmap.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /run
mount -t tmpfs tmpfs /tmp
while read -r mod deps; do
	for d in $deps $mod; do insmod /lib/modules/$d.ko 2>/dev/null; done
done < /lib/modules/order
nproc=2000; nvmas=520
for a in $(cat /proc/cmdline); do
	case $a in nproc=*) nproc=${a#nproc=} ;; nvmas=*) nvmas=${a#nvmas=} ;; esac
done
echo "MMLIFE scen=bench-large nproc=$nproc nvmas=$nvmas"
echo "MMLIFE uname $(uname -r) $(uname -v)"
echo "MMLIFE _text $(grep ' _text$' /proc/kallsyms | cut -d' ' -f1)"
i=0
while [ $i -lt 24 ]; do sleep $((100000 + i)) & i=$((i + 1)); done
/bin/threads 4 &
/bin/threads 8 &
/bin/threads 2 &
sh -c 'while :; do sleep 1000; done' &
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/ff
/bin/large $nproc $nvmas > /tmp/large.log 2>&1 &
n=0
until grep -q "LARGE READY" /tmp/large.log; do
	sleep 5
	n=$((n + 1))
	[ $((n % 6)) -eq 0 ] && tail -n 1 /tmp/large.log
done
cat /tmp/large.log
grep -E 'MemTotal|MemFree|Slab|SUnreclaim|PageTables' /proc/meminfo
grep -E '^(vm_area_struct|maple_node) ' /proc/slabinfo
echo "MMLIFE tasks $(ls -d /proc/[0-9]* | wc -l)"
echo "MMLIFE READY"
read -r go < /dev/ttyS1
echo "MMLIFE GO ($go)"
/bin/forkfail 6000 /sys/fs/cgroup/ff 0
echo "MMLIFE scenario finished"
while :; do sleep 1000; done
