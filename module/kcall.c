// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab calling layer: resolve non-exported kernel functions once at load
 * and route every call to them through the IBT-safe redirect or, where IBT
 * is not enforced, a direct call.  See kcall.h for the why.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <asm/msr.h>
#include "base.h"
#include "kcall.h"

static char *kcall_mode = "auto";
module_param_named(kcall, kcall_mode, charp, 0444);
MODULE_PARM_DESC(kcall,
		 "auto|direct|redirect|strict: how non-exported kernel functions are called (auto: redirect when IBT is enforced; strict: redirect, and never a call through a pointer, as under IBT)");

/*
 * For tests of the degraded modes a kernel without a symbol (or without
 * CONFIG_KALLSYMS_ALL, for the variables) puts mmlab in: these symbols
 * are treated as absent.
 */
static char *kcall_deny = "";
module_param_named(kcall_deny, kcall_deny, charp, 0444);
MODULE_PARM_DESC(kcall_deny,
		 "comma-separated kernel symbols to treat as absent (testing what their capabilities say without them)");
/* And one symbol resolved as another, e.g. a compiler clone (testing). */
static char *kcall_as = "";
module_param_named(kcall_as, kcall_as, charp, 0444);
MODULE_PARM_DESC(kcall_as, "NAME=SYMBOL: resolve NAME as SYMBOL (testing)");

struct ksym {
	const char *name;	/* as features lists it */
	const char *names;	/* the name, then aliases, space separated */
	void *stub;		/* module stub, NULL when only resolved */
	unsigned long addr;	/* start of the function, 0 when not found */
	char as[64];		/* the name (or clone) that was found */
	const char *via;	/* "kprobe" or "kallsyms" */
	struct kprobe kp;	/* the redirect on the stub */
	bool armed;
	bool clone;		/* found only as a compiler clone: probe, never call */
	char why[80];
};

#define KSYM(id, alias...) \
	[KC_##id] = { .name = #id, .names = #id " " alias }
#define KSTUB(id, alias...) \
	[KC_##id] = { .name = #id, .names = #id " " alias, .stub = mmlab_kc_##id }
static struct ksym ksyms[KC_NR_SYMS] = {
	KSTUB(kallsyms_lookup_name),
	KSTUB(node_page_state),
	KSTUB(walk_page_range),
	KSTUB(migrate_pages),
	KSTUB(alloc_migration_target),
	KSTUB(folio_isolate_lru),
	/* 6.1 has folio_isolate_hugetlb(page), 6.12 isolate_hugetlb(folio). */
#ifdef MMLAB_HAVE_ISOLATE_HUGETLB_FOLIO
	KSTUB(isolate_hugetlb),
#else
	[KC_isolate_hugetlb] = { .name = "folio_isolate_hugetlb",
				 .names = "folio_isolate_hugetlb",
				 .stub = mmlab_kc_isolate_hugetlb },
#endif
	KSTUB(putback_movable_pages),
	KSTUB(lru_add_drain_all),
	/* Out of line (and not exported) only before it became inline. */
#ifndef MMLAB_HAVE_INLINE_FOLIO_MAPCOUNT
	KSTUB(folio_mapcount),
#else
	[KC_folio_mapcount] = { .name = "folio_mapcount", .names = "",
				.why = "inline in this kernel" },
#endif
	KSTUB(rmap_walk),
	KSTUB(page_vma_mapped_walk),
	KSTUB(folio_referenced),
	/* 6.1's static one, cgroup-v1 only (mm/memcontrol.c). */
	KSTUB(mem_cgroup_move_account),
	KSTUB(page_counter_try_charge),
	KSTUB(page_counter_uncharge),
	KSTUB(memcg_page_state),
	KSTUB(cgroup_rstat_flush),
	KSTUB(get_swap_device),
	/* 6.10+ splits to any order; 6.1 to order 0 (mm/huge_memory.c). */
#ifdef MMLAB_HAVE_SPLIT_TO_ORDER
	[KC_split_huge_page] = { .name = "split_huge_page_to_list_to_order",
				 .names = "split_huge_page_to_list_to_order",
				 .stub = mmlab_kc_split_huge_page },
#else
	[KC_split_huge_page] = { .name = "split_huge_page_to_list",
				 .names = "split_huge_page_to_list",
				 .stub = mmlab_kc_split_huge_page },
#endif
	/* Data: what mm/swap.h's swap_address_space() indexes; via kallsyms. */
	KSYM(swapper_spaces),
	/* Data: forks so far (kernel/fork.c), for rmap's race detection. */
	KSYM(total_forks),
};

struct mmlab_kcall_info mmlab_kcall;

static const char * const clone_suffixes[] = {
	"", ".constprop.0", ".isra.0", ".part.0", ".constprop.1", ".isra.1",
};

/*
 * The lookup kprobes stay registered (disabled: nothing is patched) until
 * every symbol is resolved, then go in one unregister_kprobes(): each
 * unregister waits for an RCU grace period, and one per symbol made a
 * load take seconds on a debug kernel under TCG.
 */
static struct kprobe lookups[2 * KC_NR_SYMS];
static struct kprobe *lookup_list[2 * KC_NR_SYMS];
static unsigned int nr_lookups;

static void drop_lookups(void)
{
	unregister_kprobes(lookup_list, nr_lookups);
	nr_lookups = 0;
}

/*
 * A kprobe on @name tells where it is without calling any kernel function
 * through a pointer.  kp.addr may lie past an ENDBR or its seal poison, so
 * go back to the symbol's start using the offset sprint_symbol() reports,
 * and check that the symbol found is the one asked for.
 */
static unsigned long probe_symbol(const char *name)
{
	struct kprobe *kp;
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr, off;
	char *plus, *slash;

	if (nr_lookups == ARRAY_SIZE(lookups))
		drop_lookups();
	kp = &lookups[nr_lookups];
	*kp = (struct kprobe){ .symbol_name = name, .flags = KPROBE_FLAG_DISABLED };
	if (register_kprobe(kp))
		return 0;
	addr = (unsigned long)kp->addr;
	/* symbol_name points at the caller's buffer: not needed once found. */
	kp->symbol_name = NULL;
	lookup_list[nr_lookups++] = kp;
	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash || plus - buf != strlen(name) || strncmp(buf, name, plus - buf))
		return 0;
	*slash = '\0';
	if (kstrtoul(plus + 1, 16, &off) || off > addr)
		return 0;
	return addr - off;
}

/* Fallback for what kprobes refuse: kallsyms, called through the layer. */
static unsigned long kallsyms_symbol(const char *name)
{
	if (!mmlab_ksym_callable(KC_kallsyms_lookup_name))
		return 0;
	return kcall(kallsyms_lookup_name)(name);
}

static bool denied(const char *name)
{
	const char *p = kcall_deny;
	size_t n = strlen(name);

	for (; *p; p += strcspn(p, ",")) {
		p += strspn(p, ",");
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/* A compiler clone's name: its calling convention is the compiler's. */
static bool is_clone(const char *name)
{
	return strstr(name, ".constprop.") || strstr(name, ".isra.") || strstr(name, ".part.");
}

/* The names to try for @s: kcall_as= NAME=SYMBOL, else its own list. */
static const char *names_of(struct ksym *s, char *buf, size_t len)
{
	size_t n = strlen(s->name);

	if (strncmp(kcall_as, s->name, n) || kcall_as[n] != '=')
		return s->names;
	strscpy(buf, kcall_as + n + 1, len);
	return buf;
}

static void not_found(struct ksym *s)
{
	if (denied(s->name))
		strscpy(s->why, "treated as absent: kcall_deny= module parameter", sizeof(s->why));
	else if (!s->stub && !IS_ENABLED(CONFIG_KALLSYMS_ALL))
		strscpy(s->why, "a variable: in kallsyms only with CONFIG_KALLSYMS_ALL",
			sizeof(s->why));
	else
		strscpy(s->why, "not found in this kernel", sizeof(s->why));
}

/*
 * The name, then each alias, each as itself and then as a compiler clone.
 * A clone (.constprop, .isra, .part) may take its arguments differently
 * from the C prototype (the compiler dropped or changed some): fine for a
 * probe's address, never called (see mmlab_ksym_callable()).
 */
static void resolve(struct ksym *s)
{
	char name[64], as[64];
	const char *p = names_of(s, as, sizeof(as)), *end;
	unsigned int i;
	size_t n;

	if (denied(s->name)) {
		not_found(s);
		return;
	}
	for (; *p; p = end + strspn(end, " ")) {
		end = p + strcspn(p, " ");
		n = min_t(size_t, end - p, sizeof(name) - 16);
		for (i = 0; i < ARRAY_SIZE(clone_suffixes); i++) {
			snprintf(name, sizeof(name), "%.*s%s", (int)n, p, clone_suffixes[i]);
			s->addr = probe_symbol(name);
			s->via = "kprobe";
			if (!s->addr && s != &ksyms[KC_kallsyms_lookup_name]) {
				s->addr = kallsyms_symbol(name);
				s->via = "kallsyms";
			}
			if (s->addr) {
				strscpy(s->as, name, sizeof(s->as));
				s->clone = is_clone(name);
				return;
			}
		}
	}
	not_found(s);
}

/* Redirects taken on this CPU, for mmlab_kcall_live(). */
static DEFINE_PER_CPU(unsigned long, redirects);

/* The redirect: leave the stub for the kernel function, keeping args. */
static int kcall_redirect(struct kprobe *kp, struct pt_regs *regs)
{
	struct ksym *s = container_of(kp, struct ksym, kp);

	mmlab_count(kcall_calls_redirected);
	__this_cpu_inc(redirects);
	instruction_pointer_set(regs, s->addr);
	return 1;	/* skip the stub; the function returns to its caller */
}

/* Never runs (the pre-handler always redirects); its presence keeps the
 * kprobe from being jump-optimized, which would ignore the new ip.
 */
static void kcall_post(struct kprobe *kp, struct pt_regs *regs,
		       unsigned long flags)
{
}

static void arm(struct ksym *s)
{
	int ret;

	if (!s->stub || !s->addr || s->clone || mmlab_kcall.path != KCALL_REDIRECT)
		return;
	s->kp.addr = (kprobe_opcode_t *)s->stub;
	s->kp.pre_handler = kcall_redirect;
	s->kp.post_handler = kcall_post;
	ret = register_kprobe(&s->kp);
	if (ret)
		snprintf(s->why, sizeof(s->why), "redirect kprobe on its stub failed: %s",
			 mmlab_errname(ret));
	s->armed = !ret;
}

void *mmlab_kcall_body(enum kc_sym id)
{
	struct ksym *s = &ksyms[id];

	if (s->armed)
		mmlab_count(kcall_missed);
	else
		mmlab_count(kcall_calls_direct);
	if (!s->addr || s->clone || mmlab_kcall.no_direct)
		return NULL;
	return (void *)s->addr;
}

/*
 * Whether the redirect path works right now: the kprobes mmlab armed at
 * load are disarmed while /sys/kernel/debug/kprobes/enabled is 0, and a
 * stub then runs its own body.  A harmless call through the layer tells,
 * on this CPU (kprobe handlers run on the CPU that hit the int3).  Always
 * true where a missed redirect becomes a direct call.
 */
bool mmlab_kcall_live(void)
{
	unsigned long before;
	bool live;

	if (mmlab_kcall.path != KCALL_REDIRECT || !mmlab_kcall.no_direct)
		return true;
	preempt_disable();
	before = __this_cpu_read(redirects);
	kcall(node_page_state)(NODE_DATA(first_online_node), NR_FILE_PAGES);
	live = __this_cpu_read(redirects) != before;
	preempt_enable();
	return live;
}

bool mmlab_ksym_found(enum kc_sym id)
{
	return ksyms[id].addr != 0;
}

bool mmlab_ksym_callable(enum kc_sym id)
{
	const struct ksym *s = &ksyms[id];

	if (!s->addr || !s->stub || s->clone)
		return false;
	return mmlab_kcall.path == KCALL_REDIRECT ? s->armed : !mmlab_kcall.no_direct;
}

/* A variable (or a function only resolved): nothing to call. */
bool mmlab_ksym_data(enum kc_sym id)
{
	return !ksyms[id].stub;
}

unsigned long mmlab_ksym_addr(enum kc_sym id)
{
	return ksyms[id].addr;
}

const char *mmlab_ksym_name(enum kc_sym id)
{
	return ksyms[id].as[0] ? ksyms[id].as : ksyms[id].name;
}

const char *mmlab_ksym_via(enum kc_sym id)
{
	return ksyms[id].via ?: "none";
}

const char *mmlab_ksym_why(enum kc_sym id)
{
	const struct ksym *s = &ksyms[id];

	if (s->why[0])
		return s->why;
	if (!s->stub)
		return "no stub: resolved only";
	if (s->clone)
		return "only a compiler clone: its arguments may differ from the prototype";
	return mmlab_ksym_callable(id) ? NULL : "IBT enforced and no redirect";
}

static void detect_ibt(struct mmlab_kcall_info *k)
{
	k->ibt_kernel = IS_ENABLED(CONFIG_X86_KERNEL_IBT);
#ifdef CONFIG_X86_KERNEL_IBT
	k->ibt_cpu = boot_cpu_has(X86_FEATURE_IBT);
	if (k->ibt_cpu) {
		u64 cet;

		/* Enforced unless the kernel turned ENDBR tracking off. */
		k->ibt_enforced = rdmsrl_safe(MSR_IA32_S_CET, &cet) || (cet & CET_ENDBR_EN);
	}
#endif
}

static int choose_path(struct mmlab_kcall_info *k)
{
	k->mode = kcall_mode;
	if (!strcmp(kcall_mode, "redirect")) {
		k->path = KCALL_REDIRECT;
	} else if (!strcmp(kcall_mode, "direct")) {
		k->direct_refused = k->ibt_enforced;
		k->path = k->ibt_enforced ? KCALL_REDIRECT : KCALL_DIRECT;
	} else if (!strcmp(kcall_mode, "auto")) {
		k->path = k->ibt_enforced ? KCALL_REDIRECT : KCALL_DIRECT;
	} else if (!strcmp(kcall_mode, "strict")) {
		k->path = KCALL_REDIRECT;
	} else {
		pr_err("mmlab: kcall=%s: expected auto, direct, redirect or strict\n", kcall_mode);
		return -EINVAL;
	}
	/* strict: what an IBT machine does, on one without IBT (tests). */
	k->no_direct = k->ibt_enforced || !strcmp(kcall_mode, "strict");
	return 0;
}

/*
 * Call harmless non-exported functions through the layer and compare with
 * what is known independently: kallsyms_lookup_name() against the kprobe
 * resolution and an exported symbol's address, node_page_state() against
 * the node counter it reads.
 */
int mmlab_kcall_selftest(char *msg, size_t len)
{
	unsigned long self, want_self = ksyms[KC_kallsyms_lookup_name].addr;
	unsigned long other, want_other = (unsigned long)sprint_symbol;
	struct pglist_data *pgdat = NODE_DATA(first_online_node);
	long before, after = 0;
	unsigned long nps = 0;
	int i;

	if (!mmlab_ksym_callable(KC_kallsyms_lookup_name) ||
	    !mmlab_ksym_callable(KC_node_page_state)) {
		snprintf(msg, len, "layer unusable: kallsyms_lookup_name: %s; node_page_state: %s",
			 mmlab_ksym_why(KC_kallsyms_lookup_name) ?: "ok",
			 mmlab_ksym_why(KC_node_page_state) ?: "ok");
		return -EOPNOTSUPP;
	}
	self = kcall(kallsyms_lookup_name)("kallsyms_lookup_name");
	other = kcall(kallsyms_lookup_name)("sprint_symbol");
	for (i = 0; i < 5; i++) {
		before = atomic_long_read(&pgdat->vm_stat[NR_FILE_PAGES]);
		nps = kcall(node_page_state)(pgdat, NR_FILE_PAGES);
		after = atomic_long_read(&pgdat->vm_stat[NR_FILE_PAGES]);
		if (before == after)
			break;
	}
	after = max(after, 0L);
	snprintf(msg, len,
		 "path=%s kallsyms_lookup_name=0x%lx expect=0x%lx sprint_symbol=0x%lx expect=0x%lx node_page_state=%lu expect=%ld",
		 mmlab_kcall.path == KCALL_REDIRECT ? "redirect" : "direct",
		 self, want_self, other, want_other, nps, after);
	return (self == want_self && other == want_other && nps == after) ? 0 : -EIO;
}

int mmlab_kcall_init(void)
{
	struct mmlab_kcall_info *k = &mmlab_kcall;
	int i, ret;

	detect_ibt(k);
	ret = choose_path(k);
	if (ret)
		return ret;
	/* kallsyms_lookup_name first: it is the fallback for the others. */
	resolve(&ksyms[KC_kallsyms_lookup_name]);
	arm(&ksyms[KC_kallsyms_lookup_name]);
	for (i = 0; i < KC_NR_SYMS; i++) {
		if (i == KC_kallsyms_lookup_name)
			continue;
		if (ksyms[i].names[0])
			resolve(&ksyms[i]);
		arm(&ksyms[i]);
	}
	drop_lookups();
	k->selftest = mmlab_kcall_selftest(k->selftest_msg, sizeof(k->selftest_msg));
	return 0;
}

void mmlab_kcall_exit(void)
{
	struct kprobe *armed[KC_NR_SYMS];
	int i, n = 0;

	/* One grace period for all (see lookups above), not one each. */
	for (i = 0; i < KC_NR_SYMS; i++) {
		if (ksyms[i].armed)
			armed[n++] = &ksyms[i].kp;
		ksyms[i].armed = false;
	}
	unregister_kprobes(armed, n);
}
