# shellcheck shell=bash
# Bash completion for scripts/mmlab: subcommands, each one's options, and
# values where the machine knows them (nodes from /sys/devices/system/node,
# pids from /proc, the target's vma starts for --addr, v1 memcg paths for
# --to, probe sets and kernel symbols for `probes attach`).
#
#   . scripts/mmlab-completion.bash        (or copy to /etc/bash_completion.d/mmlab)
#
# Plain bash (no bash-completion package needed).  The option lists repeat
# scripts/mmlab's KEYS table; tests/24_cli.sh checks that they agree with
# each subcommand's --help.

_MMLAB_SUBS="inspect migrate rmap move-charge pin unpin lock unlock isolate putback scan copy stress reset selftest session stats probes features help"
_MMLAB_SETS="@migration @memcg @rmap @vma"

# _mmlab_opts SUBCOMMAND: its options.
_mmlab_opts() {
	local k keys
	case $1 in
	inspect) keys="pid addr len pfn" ;;
	migrate) keys="pid addr len node mode verify dst swapcache" ;;
	rmap) keys="pid addr pfn action" ;;
	move-charge | move_charge) keys="pid addr len to policy" ;;
	pin) keys="pid addr len mode" ;;
	unpin | lock | unlock | isolate | putback | scan) keys="pid addr len" ;;
	copy) keys="pid addr len node" ;;
	stress) keys="pid addr len op threads seconds iterations node mode policy to verify" ;;
	reset | selftest | session | features | probes) keys="" ;;
	stats) keys="nonzero watch count" ;;
	*) return 0 ;;
	esac
	for k in $keys raw help; do printf -- '--%s\n' "$k"; done
}

# _mmlab_values SUBCOMMAND OPTION: the values worth offering for OPTION.
_mmlab_values() {
	local sub=$1 p n m fs opts _
	case $2 in
	--pid)
		for p in /proc/[0-9]*; do echo "${p#/proc/}"; done
		;;
	--node)
		for n in /sys/devices/system/node/node[0-9]*; do
			[ -d "$n" ] && echo "${n##*/node}"
		done
		;;
	--addr)
		# The vma starts of the --pid already on the line.
		p=$(_mmlab_word_after --pid)
		[ -n "$p" ] && [ -r "/proc/$p/maps" ] &&
			while IFS='- ' read -r n _; do echo "0x$n"; done <"/proc/$p/maps"
		;;
	--mode)
		if [ "$sub" = pin ]; then echo get pin; else echo async sync_light sync; fi
		;;
	--dst) echo kernel pool locked ;;
	--policy) echo kernel present skip-mapped ;;
	--action) echo list referenced ;;
	--op) echo migrate rmap move-charge ;;
	--verify | --swapcache) echo 0 1 ;;
	--len) echo 4K 16K 64K 2M ;;
	--to)
		# Directories of the cgroup-v1 memory hierarchy, as paths inside it.
		while read -r _ m fs opts _; do
			[ "$fs" = cgroup ] && [[ ,$opts, == *,memory,* ]] && break
			m=
		done </proc/mounts
		[ -n "${m-}" ] || return 0
		echo /
		while IFS= read -r n; do echo "/${n#"$m"/}"; done < <(compgen -d -- "$m/${_MMLAB_CUR#/}")
		;;
	esac
}

# _mmlab_word_after OPTION: the word after OPTION on the line so far.
_mmlab_word_after() {
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = "$1" ] && { echo "${COMP_WORDS[i + 1]-}"; return; }
	done
}

# _mmlab_symbols PREFIX: kernel functions starting with PREFIX (3 characters
# at least: /proc/kallsyms is long).
_mmlab_symbols() {
	[ "${#1}" -ge 3 ] && [[ $1 =~ ^[A-Za-z0-9_.]+$ ]] || return 0
	local t s _
	while read -r _ t s _; do
		[[ $t == [tT] ]] && echo "$s"
	done < <(grep -E " [tT] $1" /proc/kallsyms 2>/dev/null)
}

_mmlab() {
	local cur prev sub='' i words s
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]-}
	prev=''
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --key=value: COMP_WORDBREAKS splits it at the '='.
	if [ "$cur" = = ]; then
		cur=''
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -gt 1 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) sub=${COMP_WORDS[i]}; break ;;
		esac
	done
	_MMLAB_CUR=$cur
	if [ -z "$sub" ]; then
		words="$_MMLAB_SUBS --raw --help"
	else
		case $sub in
		help) [ "$i" = $((COMP_CWORD - 1)) ] && words=$_MMLAB_SUBS ;;
		probes)
			case $prev in
			probes) words="list attach detach clear --raw --help" ;;
			attach)
				words="$_MMLAB_SETS $(_mmlab_symbols "$cur")"
				;;
			detach)
				words=$_MMLAB_SETS
				# and what is attached, when the probes file can be read
				words+=" $(while read -r _ _ s _; do echo "${s#sym=}"; done \
					</sys/kernel/debug/mmlab/probes 2>/dev/null)"
				;;
			*)
				[ "${COMP_WORDS[COMP_CWORD - 2]-}" = attach ] && [[ $prev != @* ]] && words=ret
				;;
			esac
			;;
		*)
			words=$(_mmlab_values "$sub" "$prev")
			if [ -z "$words" ] || [[ $prev == --verify || $prev == --swapcache ]]; then
				# After an option that takes a value, offer nothing else.
				case $prev in
				--pid | --addr | --len | --pfn | --node | --mode | --dst | --policy | \
					--action | --op | --to | --threads | --seconds | --iterations | --count) ;;
				*) words+=" $(_mmlab_opts "$sub")" ;;
				esac
			fi
			;;
		esac
	fi
	local IFS=$' \t\n'
	# shellcheck disable=SC2207 # compgen's words, one per line, have no blanks
	COMPREPLY=($(compgen -W "${words-}" -- "$cur"))
}
complete -F _mmlab mmlab scripts/mmlab ./scripts/mmlab
