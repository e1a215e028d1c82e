#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the mmlife capture guest (busybox). Scenario from scen= on the
# kernel command line. Prints "MMLIFE ..." marker lines on the console and
# waits for "go" on /dev/ttyS1 (arm64: on the console, /dev/ttyAMA0) before
# it runs the scenario.
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
scen=baseline
for a in $(cat /proc/cmdline); do
	case $a in scen=*) scen=${a#scen=} ;; esac
done
echo "MMLIFE scen=$scen"
echo "MMLIFE uname $(uname -r) $(uname -v)"
echo "MMLIFE _text $(grep ' _text$' /proc/kallsyms | cut -d' ' -f1)"
[ -e /sys/firmware/qemu_fw_cfg/rev ] && echo "MMLIFE fw_cfg ok"

# an ordinary-looking task list: sleepers, shells, multi-threaded programs
i=0
while [ $i -lt 24 ]; do sleep $((100000 + i)) & i=$((i + 1)); done
/bin/threads 4 &
/bin/threads 8 &
/bin/threads 2 &
sh -c 'while :; do sleep 1000; done' &
sh -c 'while :; do sleep 1000; done' &
(cd /tmp && exec sh -c 'exec sleep 99999') &

case $scen in
failed-fork|swapoff-oops)
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir /sys/fs/cgroup/ff
	;;
esac
if [ "$scen" = swapoff-oops ]; then
	mkswap /dev/vda >/dev/null && swapon /dev/vda && echo "MMLIFE swap on"
	cat /proc/swaps
fi
sleep 1
echo "MMLIFE READY"
# arm64's virt board has one UART: "go" comes in on the console itself
gotty=/dev/ttyS1
[ -e /dev/ttyAMA0 ] && gotty=/dev/ttyAMA0
read -r go < $gotty
echo "MMLIFE GO ($go)"
case $scen in
baseline)
	echo c > /proc/sysrq-trigger
	;;
failed-fork)
	/bin/forkfail ${nvmas:-6000} /sys/fs/cgroup/ff 0
	;;
swapoff-oops)
	# an oops panics, as on a machine set up for kdump
	echo 1 > /proc/sys/kernel/panic_on_oops
	/bin/forkfail ${nvmas:-6000} /sys/fs/cgroup/ff 1500 > /tmp/ff.out &
	until grep -q 'FORKFAIL fork failed\|FORKFAIL never failed' /tmp/ff.out; do
		sleep 1
	done
	cat /tmp/ff.out
	echo "MMLIFE swapoff"
	swapoff /dev/vda
	echo "MMLIFE swapoff returned $?"
	;;
empty-mm)
	/bin/emptymm
	echo "MMLIFE emptymm exited"
	;;
esac
echo "MMLIFE scenario finished"
while :; do sleep 1000; done
