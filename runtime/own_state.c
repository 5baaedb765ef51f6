/* cordon's own state out of the command's reach (see own_state.h). */
#include "own_state.h"

#include <stdlib.h>

#include "landlock_abi.h"
#include "policy_source.h"
#include "writable.h"

/* Adds a deny carve-out for everything but reading under dir. */
static int deny_changes(struct cpb_policy *p, const char *dir)
{
	struct cpb_fs_rule *fs = realloc(p->fs, (p->nfs + 1) * sizeof *fs);
	if (!fs)
		return -1;
	p->fs = fs;
	p->fs[p->nfs++] = (struct cpb_fs_rule){
		.path = dir, .base = CPB_BASE_ROOT,
		.deny = p->handled_fs & ~(CORDON_LL_FS_READ_FILE | CORDON_LL_FS_READ_DIR |
					  CORDON_LL_FS_EXECUTE),
	};
	return 0;
}

int protect_own(struct cpb_policy *p, const struct ll_paths *paths, bool cgroup,
		char **cache_dir)
{
	struct changeable c;
	changeable_dirs(p, paths, &c);
	/* a policy that changes no directory can neither write the cache nor
	 * create it */
	if (!c.n && !c.unknown)
		return 0;
	if (cgroup && changeable_contains(&c, "/sys/fs/cgroup") &&
	    deny_changes(p, "/sys/fs/cgroup") < 0)
		return -1;
	if (!*cache_dir)
		*cache_dir = policy_cache_dir();
	const char *dir = *cache_dir;
	if (!dir || !changeable_contains(&c, dir))
		return 0;
	return deny_changes(p, dir);
}
