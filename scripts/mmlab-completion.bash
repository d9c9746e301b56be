# shellcheck shell=bash
# Bash completion for mmlab (build/mmlab, or installed by make install).
# The program completes itself: `mmlab --complete WORDS...` prints the
# candidates for the last word (subcommands, options from the module's
# grammar, nodes, pids, the target's vmas for --addr, memcgs for --to,
# probe sets and kernel functions), so this file holds no lists.
#
#   . scripts/mmlab-completion.bash    (make install puts it in bash-completion's directory)

# The build/mmlab of the checkout this file is sourced from, if any.
_MMLAB_SRC=${BASH_SOURCE[0]}
[[ $_MMLAB_SRC == /* ]] || _MMLAB_SRC=$PWD/$_MMLAB_SRC
_MMLAB_BUILT=${_MMLAB_SRC%/*}/../build/mmlab

_mmlab() {
	local prog=${COMP_WORDS[0]}
	# The program as typed (./build/mmlab), else the checkout's, else PATH's.
	if [[ $prog != */* || ! -x $prog ]]; then
		prog=mmlab
		[ -x "$_MMLAB_BUILT" ] && prog=$_MMLAB_BUILT
	fi
	mapfile -t COMPREPLY < <("$prog" --complete "${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
}
complete -F _mmlab mmlab build/mmlab ./build/mmlab
