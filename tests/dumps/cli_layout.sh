#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI front end on every real dump in vmcores/: "mmlife --layout" in
# BTF mode (the dump's kallsyms + BTF) and in DWARF mode (the debug vmlinux
# from the cache), checked against the manifest written from the debugger's
# reading and against nm(1) on the vmlinux. The two layouts must be equal.
# Also: automatic vmlinux lookup under --debug-dir (by release and by
# build-id), and the layout cache (a second run is a hit, same numbers).
#   B=build  MMLIFE_CACHE=~/.cache/mmlife
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$MMLIFE" ]; then
	skip "cli layout tests" "$MMLIFE not built"
	exit 0
fi

# manifest FILE KEY.PATH: one value from a manifest.
manifest() {
	python3 -c 'import json,sys
v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(str(v).lower() if isinstance(v,bool) else v)' "$1" "$2"
}
# The format line mmlife should print, from the manifest's dump block
# ("QEMU kdump" for QEMU's own kdump file of an arm64 guest, which mmlife
# rewrites into ELF: cli/dump/qemu_kdump.c).
expected_format() {
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))["dump"]
f,c=d["format"],d.get("compression","none")
x="xz-compressed " if d.get("container")=="xz" else ""
if f=="elf": print(x+"elf")
else: print(x+("flattened " if f=="flattened" else "")+("QEMU " if d.get("qemu_format") else "")+"kdump"+(" (%s)"%c if c not in ("none","") else ""))' "$1"
}
field() { sed -n "s/^$1 //p" "$2"; }
hex() { python3 -c 'import sys; print("0x%x" % int(sys.argv[1], 0))' "$1"; }

found=0
for m in vmcores/*/manifest.json; do
	[ -f "$m" ] || continue
	d=$(dirname "$m")
	name=$(basename "$d")
	dump=$d/$(manifest "$m" dump.file)
	if [ ! -f "$dump" ]; then
		skip "$name" "no dump file next to the manifest"
		continue
	fi
	found=1
	rel=$(manifest "$m" kernel.release)
	bid=$(manifest "$m" kernel.build_id)
	key=$(manifest "$m" kernel.key)
	kaslr=$(hex "$(manifest "$m" kernel.kaslr_offset)")
	fmt=$(expected_format "$m")
	vmlinux=$CACHE/kernels/$key/out/vmlinux-$rel
	# A fresh machine downloads it (checked by build-id); it skips only
	# when the pinned package left the archive (exit 77) or no network.
	frc=0
	[ -f "$vmlinux" ] || "$top/vmcores/scripts/fetch-kernel.sh" "$key" \
		>/dev/null 2>"$tmp/fetch.$key" || frc=$?
	if [ $frc -ne 0 ] && [ $frc -ne 77 ]; then
		# A checksum or build-id that does not match is a failure.
		notok "$name: fetch-kernel.sh $key (exit $frc)"
		tail -n 3 "$tmp/fetch.$key" | sed 's/^/#   /'
	elif [ $frc -eq 77 ]; then
		echo "# fetch-kernel.sh $key: $(tail -n 1 "$tmp/fetch.$key")"
	fi

	# nm's addresses plus the manifest's KASLR offset: independent of us.
	: >"$tmp/nm.$name"
	if [ -f "$vmlinux" ] && command -v nm >/dev/null; then
		nm "$vmlinux" | python3 -c 'import sys
want = {"init_task", "init_mm", "_stext", "__start_BTF", "__stop_BTF"}
off = int(sys.argv[1], 16)
for line in sys.stdin:
    f = line.split()
    if len(f) == 3 and f[2] in want:
        want.discard(f[2])
        print(f[2], "0x%016x" % ((int(f[0], 16) + off) % 2**64))' "$kaslr" >"$tmp/nm.$name"
	fi

	for mode in btf dwarf; do
		out=$tmp/$name.$mode
		if [ $mode = dwarf ] && [ ! -f "$vmlinux" ]; then
			skip "$name dwarf" "no vmlinux in $CACHE/kernels/$key/out (vmcores/scripts/fetch-kernel.sh $key)"
			continue
		fi
		if [ $mode = dwarf ]; then
			set -- --types=dwarf --vmlinux "$vmlinux"
		else
			set -- --types=btf
		fi
		"$MMLIFE" --layout --no-cache "$@" "$dump" >"$out" 2>"$out.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			notok "$name $mode: --layout exits 0 (got $rc: $(head -n1 "$out.err"))"
			continue
		fi
		ok "$name $mode: --layout resolves"
		check "$name $mode: release" "$rel" "$(field release "$out")"
		check "$name $mode: build-id" "$bid" "$(field build-id "$out")"
		check "$name $mode: KASLR offset" "$kaslr" "$(field kaslr-offset "$out")"
		check "$name $mode: format" "$fmt" "$(field format "$out")"
		check "$name $mode: type source" "$mode" "$(field type-source "$out")"
		check "$name $mode: init_task.comm" "swapper/0" \
			"$(field init_task.comm "$out")"
		if [ -s "$tmp/nm.$name" ]; then
			while read -r sym addr; do
				if [ "$sym" = init_task ]; then
					got=$(field init_task "$out")
				else
					got=$(field "symbol.$sym" "$out")
				fi
				check "$name $mode: $sym = nm + KASLR offset" "$addr" "$got"
			done <"$tmp/nm.$name"
		else
			skip "$name $mode: symbol addresses" "no vmlinux/nm to compare with"
		fi
	done
	if [ -f "$tmp/$name.dwarf" ] && [ -s "$tmp/$name.btf" ]; then
		grep '^layout\.' "$tmp/$name.btf" >"$tmp/l.btf"
		grep '^layout\.' "$tmp/$name.dwarf" >"$tmp/l.dwarf"
		same_files "$name: DWARF and BTF layouts are identical" "$tmp/l.btf" "$tmp/l.dwarf"
	else
		skip "$name: DWARF and BTF layouts are identical" "one mode did not run"
	fi

	# Automatic lookup: --debug-dir with the Debian layout, then with
	# only the build-id link; auto mode must then pick DWARF.
	if [ -f "$vmlinux" ]; then
		dd=$tmp/debug-$name
		mkdir -p "$dd/boot" "$dd/.build-id/$(echo "$bid" | cut -c1-2)"
		ln -s "$vmlinux" "$dd/boot/vmlinux-$rel"
		"$MMLIFE" --layout --no-cache --debug-dir "$dd" "$dump" \
			>"$tmp/auto" 2>&1
		check "$name: auto finds boot/vmlinux-REL under --debug-dir" \
			"dwarf $dd/boot/vmlinux-$rel" \
			"$(field type-source "$tmp/auto") $(field vmlinux "$tmp/auto")"
		rm "$dd/boot/vmlinux-$rel"
		link=$dd/.build-id/$(echo "$bid" | cut -c1-2)/$(echo "$bid" | cut -c3-).debug
		ln -s "$vmlinux" "$link"
		"$MMLIFE" --layout --no-cache --debug-dir "$dd" "$dump" \
			>"$tmp/auto" 2>&1
		check "$name: auto finds .build-id/xx/rest.debug" \
			"dwarf $link" \
			"$(field type-source "$tmp/auto") $(field vmlinux "$tmp/auto")"
	else
		skip "$name: automatic vmlinux lookup" "no vmlinux in the cache"
	fi

	# The layout cache: miss, then hit with the same numbers.
	xdg=$tmp/xdg-$name
	XDG_CACHE_HOME=$xdg "$MMLIFE" --layout --types=btf "$dump" >"$tmp/c1" 2>&1
	XDG_CACHE_HOME=$xdg "$MMLIFE" --layout --types=btf "$dump" >"$tmp/c2" 2>&1
	check "$name: layout cache miss then hit" "miss hit" \
		"$(field layout-cache "$tmp/c1") $(field layout-cache "$tmp/c2")"
	if [ -f "$xdg/mmlife/layouts/$bid.btf" ] &&
	   [ "$(grep '^layout\.' "$tmp/c1")" = "$(grep '^layout\.' "$tmp/c2")" ]; then
		ok "$name: cached layout in \$XDG_CACHE_HOME/mmlife/layouts equals the resolved one"
	else
		notok "$name: cached layout in \$XDG_CACHE_HOME/mmlife/layouts equals the resolved one"
	fi
done
[ $found -eq 1 ] || skip "cli layout tests" "no dumps in vmcores/"
exit 0
