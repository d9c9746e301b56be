# shellcheck shell=bash
# Bash completion for mmlab (build/mmlab, or installed by make install).
# The program completes itself: `mmlab --complete WORDS...` prints the
# candidates for the last word (subcommands, options from the module's
# grammar, nodes, pids, the target's vmas for --addr, memcgs for --to,
# probe sets and kernel functions), so this file holds no lists; it adds
# repro's experiment ids (the checkout's tests/experiments) and replay's
# file names.
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
	# repro's experiment ids and replay's file: the checkout's, and the
	# shell's file names (the program knows neither).
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local -a ids
	[ ${#COMPREPLY[@]} = 0 ] && [[ $cur != -* ]] || return 0
	case " ${COMP_WORDS[*]:1:COMP_CWORD-1} " in
	*" replay "*) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	*" repro "*)
		[[ $prev == --* ]] && return 0
		ids=("${_MMLAB_SRC%/*}"/../tests/experiments/E[0-9]*-*.sh)
		ids=("${ids[@]##*/}")
		mapfile -t COMPREPLY < <(compgen -W "${ids[*]%%-*}" -- "$cur") ;;
	esac
}
complete -F _mmlab mmlab build/mmlab ./build/mmlab
