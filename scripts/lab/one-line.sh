# shellcheck shell=bash
# scripts/lab/one-line.sh — sourced by scripts/lab-proof and
# scripts/compare-proof: "the user's tree" with one line changed, a copy
# of Debian's source that scripts/lab-kernel KSRC= then builds.
#
# one_line_tree ORIG TREE FILE FUNC ANCHOR before|after LINE
#	TREE: a copy of ORIG (not its .mmlab-unpacked marker: it is not
#	Debian's tree) with LINE put before or after the first line matching
#	the ERE ANCHOR inside the function whose definition line starts with
#	FUNC( in FILE (relative to the tree).  Kept as it is when TREE/FILE
#	already has LINE; fails unless it ends with exactly one.
one_line_tree() {
	local orig=$1 tree=$2 file=$3 func=$4 anchor=$5 where=$6 line=$7
	grep -qsxF -- "$line" "$tree/$file" && return 0
	rm -rf "$tree"
	cp -a "$orig" "$tree"
	rm -f "$tree/.mmlab-unpacked"
	# From the environment: awk -v would turn LINE's "\n" into a newline.
	F=$func A=$anchor W=$where L=$line awk '
		index($0, ENVIRON["F"] "(") == 1 { inf = 1 }
		inf && ENVIRON["W"] == "before" && $0 ~ ENVIRON["A"] { print ENVIRON["L"]; inf = 0 }
		{ print }
		inf && ENVIRON["W"] == "after" && $0 ~ ENVIRON["A"] { print ENVIRON["L"]; inf = 0 }
		' "$orig/$file" >"$tree/$file"
	[ "$(grep -cxF -- "$line" "$tree/$file")" = 1 ]
}
