# E47: a shmem THP (tmpfs huge=always) migrates whole, PMD-mapped again, and its per-node shmem THP counters follow it (or not)
# seed: issue 21 (large folios)
# setup: a file on a tmpfs mounted huge=always, 2 MiB MAP_SHARED at a 2 MiB boundary and written (pages shmem-thp --file): one order-9 shmem folio mapped by a PMD
# op: migrate node=1 verify=1; kpageflags' order, smaps ShmemPmdMapped, per-node meminfo ShmemHugePages/ShmemPmdMapped/Shmem deltas, vmstat thp_migration_success/pgmigrate_success; the file read back
# expect: order=9->9 checks=ok ds=0->0 new_order=9 new_node=1 pmd_mapped_kb=2048 thp_migration_success=1 pgmigrate_success=512 contents_same=1 n0_shmem_kb=-2048 n1_shmem_kb=2048 n0_pmdmapped_kb=-2048 n1_pmdmapped_kb=2048
# expect 6.1: n0_shmem_huge_kb=0 n1_shmem_huge_kb=0
# expect 6.12: pm=0->0 n0_shmem_huge_kb=-2048 n1_shmem_huge_kb=2048
# predict: order=9->9 checks=ok ds=0->0 new_order=9 new_node=1 pmd_mapped_kb=2048 thp_migration_success=1 pgmigrate_success=512 contents_same=1 n0_shmem_kb=-2048 n1_shmem_kb=2048 n0_pmdmapped_kb=-2048 n1_pmdmapped_kb=2048
# predict 6.1: n0_shmem_huge_kb=0 n1_shmem_huge_kb=0
# predict 6.12: pm=0->0 n0_shmem_huge_kb=-2048 n1_shmem_huge_kb=2048
# From the source: alloc_migration_target() asks for an order-9 folio for a
# THP of any kind; try_to_migrate_one() puts a PMD migration entry in the
# shmem PMD (set_pmd_migration_entry()), shmem's migrate_folio moves the
# 512 xarray slots (folio_migrate_mapping()) and NR_FILE_PAGES/NR_SHMEM of
# the nodes, remove_migration_pmd() maps the new folio by a PMD again
# (folio_add_file_rmap_pmd(): NR_SHMEM_PMDMAPPED moves with the mapping).
# NR_SHMEM_THPS (ShmemHugePages) moves only since "mm: Fix shmem THP
# counters on migration" (Jan Glauber, June 2023, 6.5; not marked for
# stable): v6.1's folio_migrate_mapping() leaves it on node 0, so node 0
# keeps counting 2 MiB of shmem THP it no longer has (unless Debian's
# 6.1.158 carries a backport).  Only anon folios are ever queued for a
# deferred split.  6.12's per-size shmem_enabled (hugepages-*kB) applies
# to anonymous shared memory only (shmem_allowable_huge_orders():
# vma_is_anon_shmem()); a tmpfs file or memfd gets the PMD size or none:
# no shmem mTHP here.
. "$MMLAB_ROOT/tests/experiments/lib.sh"
. "$MMLAB_ROOT/tests/experiments/lib-mig.sh"
. "$MMLAB_ROOT/tests/experiments/lib-large.sh"
load
# node_kb NODE FIELD: FIELD of /sys/devices/system/node/nodeNODE/meminfo (kB).
node_kb() {
	local a b f v rest
	echo 1 >/proc/sys/vm/stat_refresh
	while read -r a b f v rest; do
		[ "$f" = "$2:" ] && { echo "$v"; return; }
	done <"/sys/devices/system/node/node$1/meminfo"
	die "node $1 meminfo: no $2"
}
F="ShmemHugePages ShmemPmdMapped Shmem"
declare -A N0=()
snap() { local n f; for n in 0 1; do for f in $F; do N0[$n$f]=$(node_kb "$n" "$f"); done; done; }
TMPFS=/tmp/mmlab-e47
mkdir -p "$TMPFS"
mountpoint -q "$TMPFS" || mount -t tmpfs -o huge=always,size=16M none "$TMPFS" || die "mount tmpfs huge=always"
trap 'knobs_restore; cleanup; umount "$TMPFS" 2>/dev/null' EXIT
start_pages shmem-thp --file "$TMPFS/f"
OLD=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
[ "$(kpf_order "$OLD")" = 9 ] || die "not a 2 MiB shmem folio"
SUM0=$(cksum <"$TMPFS/f")
snap
vm_snap thp_migration_success pgmigrate_success
cmd "migrate pid=$PG_PID addr=$PG_ADDR len=2M node=1 verify=1"
[ -z "$ERR" ] || die "migrate: $ERR"
M=$(mig_line "$REPLY_TEXT"); note "$M"; note "$(sum_line "$REPLY_TEXT")"
obs order "$(field order "$M")"
obs checks "$(field checks "$M")"
obs ds "$(field deferred_split "$M")"
[ -d "$THP/hugepages-64kB" ] && obs pm "$(field partially_mapped "$M")"
NEW=$(pagemap_pfn "$PG_PID" "$PG_ADDR")
obs new_order "$(kpf_order "$NEW")"
obs new_node "$(node_of "$PG_PID" "$PG_ADDR")"
obs pmd_mapped_kb "$(smaps_kb "$PG_PID" "$PG_ADDR" $(( PG_ADDR + PG_LEN )) ShmemPmdMapped)"
obs thp_migration_success "$(vm_delta thp_migration_success)"
obs pgmigrate_success "$(vm_delta pgmigrate_success)"
obs contents_same "$([ "$(cksum <"$TMPFS/f")" = "$SUM0" ] && echo 1 || echo 0)"
for n in 0 1; do
	obs "n${n}_shmem_huge_kb" $(( $(node_kb "$n" ShmemHugePages) - ${N0[${n}ShmemHugePages]} ))
	obs "n${n}_pmdmapped_kb" $(( $(node_kb "$n" ShmemPmdMapped) - ${N0[${n}ShmemPmdMapped]} ))
	obs "n${n}_shmem_kb" $(( $(node_kb "$n" Shmem) - ${N0[${n}Shmem]} ))
done
