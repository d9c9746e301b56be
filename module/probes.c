// SPDX-License-Identifier: GPL-2.0
/*
 * mmlab probes: kprobes and kretprobes on kernel functions, attached and
 * detached through the `probes` file, counting what the kernel did inside.
 *
 *   +@SET          attach a built-in set (migration, memcg, rmap, vma)
 *   +SYMBOL [ret]  attach one function (ret: a kretprobe, with a histogram
 *                  of return values: 0, each errno by name, other)
 *   -@SET, -SYMBOL detach;  clear  detach all
 *
 * mm functions are renamed often, so a built-in probe is a list of aliases
 * (and their .constprop/.isra/.part clones): the first that attaches wins,
 * and one that none of them matches is listed as missing.  Each hit is
 * counted as inside an mmlab command (the task is running one: see
 * mmlab_scope_enter()) or elsewhere, in per-CPU counters summed on read.
 * Handlers take no lock; attach, detach and read are serialized by a mutex
 * that no handler ever waits for.
 */
#include <linux/ctype.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "observe.h"
#include "base.h"

#define NR_SCOPE 64		/* tasks running a command at once, tracked */
#define MAX_ERR 133		/* EHWPOISON: the last errno with a name */
enum { C_MMLAB, C_OTHER, C_FLAG, C_RET };	/* then ret 0, -1..-MAX_ERR, other */
#define NR_CTR (C_RET + MAX_ERR + 2)
#define MAX_PROBES 64

struct probe {
	struct list_head node;
	struct kretprobe krp;	/* .kp alone for an entry probe */
	struct kprobe guard;	/* for a kretprobe: see kguard.c */
	const char *set;	/* built-in set, or NULL */
	char sym[64];		/* as asked (first alias) */
	char as[72];		/* the symbol it attached to; "" when missing */
	bool ret;
	const struct alias *test;	/* a state tested at entry, or NULL */
	u64 __percpu *ctr;	/* NR_CTR per CPU */
};

/* A probe: aliases, a kretprobe or not, and what to test at entry. */
struct alias {
	const char *names;
	bool ret;
	const char *flag;			/* counted as flag=N */
	bool (*test)(struct pt_regs *regs);	/* at entry */
};

struct set { const char *name; const struct alias *probes; };

static const struct alias migration_set[] = {
	{ "migrate_pages", true },
	{ "folio_migrate_mapping", true },
	{ "move_to_new_folio", true },
	{ "remove_migration_pte" },
	{ "try_to_migrate_one" },
	{ "mlock_folio" },
	{ }
};

static const struct alias memcg_set[] = {
	{ "mem_cgroup_move_account", true, "unmapped", mmlab_mc_page_unmapped },
	{ }
};

static const struct alias rmap_set[] = {
	{ "try_to_unmap_one" },
	{ "folio_referenced_one" },
	{ "split_huge_pmd_address" },
	{ "rmap_walk_anon" },
	{ "rmap_walk_file" },
	{ "rmap_walk_ksm" },
	{ }
};

/*
 * 6.1's vma_merge() returns NULL when nothing merged (ret_0); 6.12's
 * vma_modify() returns a vma either way.  A merge frees the vmas it
 * absorbs, so vm_area_free counts them on both.
 */
static const struct alias vma_set[] = {
	{ "vma_merge vma_modify", true },
	{ "__split_vma split_vma" },
	{ "mprotect_fixup", true },
	{ "vm_area_free" },
	{ }
};

static const struct set sets[] = {
	{ "migration", migration_set },
	{ "memcg", memcg_set },
	{ "rmap", rmap_set },
	{ "vma", vma_set },
};

static LIST_HEAD(probe_list);
static DEFINE_MUTEX(probes_lock);	/* probe_list, attach and detach */
static unsigned int nr_probes;
static struct task_struct *scope[NR_SCOPE];

/* The calling task runs an mmlab command until mmlab_scope_exit(). */
void mmlab_scope_enter(void)
{
	int i;

	for (i = 0; i < NR_SCOPE; i++)
		if (!cmpxchg(&scope[i], NULL, current))
			return;
}

void mmlab_scope_exit(void)
{
	int i;

	for (i = 0; i < NR_SCOPE; i++)
		if (READ_ONCE(scope[i]) == current)
			WRITE_ONCE(scope[i], NULL);
}

bool mmlab_in_scope(void)
{
	int i;

	for (i = 0; i < NR_SCOPE; i++)
		if (READ_ONCE(scope[i]) == current)
			return true;
	return false;
}

/* Kprobe handlers do not nest on a CPU (kprobes refuses recursion). */
static void hit(struct probe *p)
{
	raw_cpu_ptr(p->ctr)[mmlab_in_scope() ? C_MMLAB : C_OTHER]++;
}

static void test_entry(struct probe *p, struct pt_regs *regs)
{
	if (p->test && p->test->test(regs))
		raw_cpu_ptr(p->ctr)[C_FLAG]++;
}

static int entry_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct probe *p = container_of(kp, struct probe, krp.kp);

	hit(p);
	test_entry(p, regs);
	return mmlab_kprobe_stale_int3(kp, regs);
}

static int ret_entry_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	test_entry(container_of(get_kretprobe(ri), struct probe, krp), regs);
	return 0;
}

/*
 * Histogram bucket of a return value: 0, an errno, or other.  An int
 * return leaves the upper half of the register zero (a 32-bit write), a
 * long or ERR_PTR() one sign-extends it: both count as the errno.
 */
static int bucket(unsigned long v)
{
	int err = (int)v;

	if (!v)
		return 0;
	if (err < 0 && err >= -MAX_ERR && (v >> 32 == 0 || v >> 32 == 0xffffffffUL))
		return -err;
	return MAX_ERR + 1;
}

static int ret_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct probe *p = container_of(get_kretprobe(ri), struct probe, krp);
	int b = bucket(regs_return_value(regs));

	hit(p);
	raw_cpu_ptr(p->ctr)[C_RET + b]++;
	return 0;
}

/* A kretprobe and its guard (kguard.c), registered first. */
static int register_guarded(struct probe *p)
{
	int ret = mmlab_kguard_register(&p->guard, p->as);

	if (ret)
		return ret;
	ret = register_kretprobe(&p->krp);
	if (ret)
		unregister_kprobe(&p->guard);
	return ret;
}

static const char * const clone_suffixes[] = { "", ".constprop.0", ".isra.0", ".part.0" };

/*
 * Try @reg(@arg) with @as set to each of @names (space separated) and
 * their compiler clones, the first @clones suffixes of clone_suffixes[]
 * (1: the name alone), until one registers.  0, or the last error.
 */
int mmlab_register_first(const char *names, unsigned int clones, char *as, size_t size,
			 int (*reg)(void *arg), void *arg)
{
	const char *n = names, *end;
	unsigned int i;
	int ret = -ENOENT;

	clones = min_t(unsigned int, clones, ARRAY_SIZE(clone_suffixes));
	for (; *n && ret; n = end + strspn(end, " ")) {
		end = n + strcspn(n, " ");
		for (i = 0; i < clones && ret; i++) {
			snprintf(as, size, "%.*s%s", (int)(end - n), n, clone_suffixes[i]);
			ret = reg(arg);
		}
	}
	return ret;
}

static int register_probe(void *arg)
{
	struct probe *p = arg;

	memset(&p->krp, 0, sizeof(p->krp));
	p->krp.kp.symbol_name = p->as;
	if (p->ret) {
		p->krp.handler = ret_handler;
		if (p->test)
			p->krp.entry_handler = ret_entry_handler;
		p->krp.maxactive = 64;
		return register_guarded(p);
	}
	p->krp.kp.pre_handler = entry_handler;
	return register_kprobe(&p->krp.kp);
}

/* Register @p on the first of @names (or a clone) that the kernel has. */
static int attach_one(struct probe *p, const char *names)
{
	int ret = mmlab_register_first(names, ARRAY_SIZE(clone_suffixes), p->as,
				       sizeof(p->as), register_probe, p);

	if (ret)
		p->as[0] = '\0';
	return ret;
}

static void unregister_one(struct probe *p)
{
	if (p->as[0] && p->ret) {
		unregister_kretprobe(&p->krp);
		unregister_kprobe(&p->guard);
	} else if (p->as[0]) {
		unregister_kprobe(&p->krp.kp);
	}
	p->as[0] = '\0';
}

static void free_one(struct probe *p)
{
	list_del(&p->node);
	free_percpu(p->ctr);
	kfree(p);
	nr_probes--;
}

static struct probe *find(const char *sym)
{
	struct probe *p;

	list_for_each_entry(p, &probe_list, node)
		if (!strcmp(p->sym, sym))
			return p;
	return NULL;
}

/* Add a probe; a set keeps its missing ones too, to list them. */
static int add(const char *names, bool ret, const char *set, const struct alias *test)
{
	struct probe *p;
	int err;

	if (nr_probes >= MAX_PROBES)
		return -ENOSPC;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->ctr = (u64 __percpu *)__alloc_percpu(sizeof(u64) * NR_CTR, __alignof__(u64));
	if (!p->ctr) {
		kfree(p);
		return -ENOMEM;
	}
	snprintf(p->sym, sizeof(p->sym), "%.*s", (int)strcspn(names, " "), names);
	p->ret = ret;
	p->set = set;
	p->test = test;
	err = attach_one(p, names);
	if (err && !set) {
		free_percpu(p->ctr);
		kfree(p);
		return err;
	}
	list_add_tail(&p->node, &probe_list);
	nr_probes++;
	return 0;
}

static bool set_attached(const struct set *s)
{
	struct probe *p;

	list_for_each_entry(p, &probe_list, node)
		if (p->set == s->name)
			return true;
	return false;
}

static bool matches(struct probe *p, const char *set, const char *sym)
{
	if (set)
		return p->set && !strcmp(p->set, set);
	return !sym || !strcmp(p->sym, sym);
}

/*
 * Unregister, then wait for a grace period before freeing: a kretprobe
 * return already under way may still be reading its handler when
 * unregister_kretprobe() comes back.
 */
static void remove_where(const char *set, const char *sym)
{
	struct probe *p, *tmp;

	list_for_each_entry(p, &probe_list, node)
		if (matches(p, set, sym))
			unregister_one(p);
	synchronize_rcu();
	list_for_each_entry_safe(p, tmp, &probe_list, node)
		if (matches(p, set, sym))
			free_one(p);
}

static int add_set(const struct set *s)
{
	const struct alias *a;
	int err;

	if (set_attached(s))
		return -EEXIST;
	for (a = s->probes; a->names; a++) {
		err = add(a->names, a->ret, s->name, a->test ? a : NULL);
		if (err) {
			/* All or nothing: a part left behind would answer EEXIST. */
			remove_where(s->name, NULL);
			return err;
		}
	}
	return 0;
}

static const struct set *set_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sets); i++)
		if (!strcmp(sets[i].name, name))
			return &sets[i];
	return NULL;
}

static bool valid_symbol(const char *s)
{
	if (!*s || strlen(s) > 60)
		return false;
	for (; *s; s++)
		if (!isalnum(*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

/* One command: "+@set", "-@set", "+sym [ret]", "-sym", "clear". */
static int probes_cmd(char *line)
{
	char *word = strim(line), *arg;
	bool ret = false;

	if (!strcmp(word, "clear")) {
		remove_where(NULL, NULL);
		return 0;
	}
	if (word[0] != '+' && word[0] != '-')
		return -EINVAL;
	arg = strpbrk(word, " \t");
	if (arg) {
		*arg++ = '\0';
		arg = skip_spaces(arg);
		if (word[0] != '+' || word[1] == '@' || strcmp(arg, "ret"))
			return -EINVAL;
		ret = true;
	}
	if (word[1] == '@') {
		const struct set *s = set_named(word + 2);

		if (!s)
			return -ENOENT;
		if (word[0] == '-') {
			remove_where(s->name, NULL);
			return 0;
		}
		return add_set(s);
	}
	if (!valid_symbol(word + 1))
		return -EINVAL;
	if (word[0] == '-') {
		if (!find(word + 1))
			return -ENOENT;
		remove_where(NULL, word + 1);
		return 0;
	}
	return find(word + 1) ? -EEXIST : add(word + 1, ret, NULL, NULL);
}

static ssize_t probes_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	char buf[96];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (mutex_lock_interruptible(&probes_lock))
		return -EINTR;
	ret = probes_cmd(buf);
	mutex_unlock(&probes_lock);
	return ret ? ret : count;
}

static void show_one(struct seq_file *m, struct probe *p)
{
	u64 sum[NR_CTR] = { 0 };
	int cpu, i;

	seq_printf(m, "probe set=%s sym=%s", p->set ?: "-", p->sym);
	if (!p->as[0]) {
		seq_puts(m, " missing=1\n");
		return;
	}
	for_each_possible_cpu(cpu)
		for (i = 0; i < NR_CTR; i++)
			sum[i] += per_cpu_ptr(p->ctr, cpu)[i];
	seq_printf(m, " as=%s type=%s hits=%llu mmlab=%llu other=%llu nmissed=%lu", p->as,
		   p->ret ? "ret" : "entry", sum[C_MMLAB] + sum[C_OTHER], sum[C_MMLAB],
		   sum[C_OTHER], p->ret ? (unsigned long)p->krp.nmissed : p->krp.kp.nmissed);
	if (p->test)
		seq_printf(m, " %s=%llu", p->test->flag, sum[C_FLAG]);
	if (p->ret) {
		seq_printf(m, " ret_0=%llu", sum[C_RET]);
		for (i = 1; i <= MAX_ERR; i++) {
			const char *name = mmlab_errname(-i);

			if (!sum[C_RET + i])
				continue;
			if (strcmp(name, "EUNKNOWN"))
				seq_printf(m, " ret_%s=%llu", name, sum[C_RET + i]);
			else
				seq_printf(m, " ret_errno%d=%llu", i, sum[C_RET + i]);
		}
		seq_printf(m, " ret_other=%llu", sum[C_RET + MAX_ERR + 1]);
	}
	seq_putc(m, '\n');
}

static int probes_show(struct seq_file *m, void *v)
{
	struct probe *p;

	mutex_lock(&probes_lock);
	list_for_each_entry(p, &probe_list, node)
		show_one(m, p);
	mutex_unlock(&probes_lock);
	return 0;
}

static int probes_open(struct inode *inode, struct file *file)
{
	int ret = mmlab_open_allowed();

	return ret ? ret : single_open(file, probes_show, NULL);
}

const struct file_operations mmlab_probes_fops = {
	.owner = THIS_MODULE,
	.open = probes_open,
	.read = seq_read,
	.write = probes_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void mmlab_probes_exit(void)
{
	mutex_lock(&probes_lock);
	remove_where(NULL, NULL);
	mutex_unlock(&probes_lock);
}
