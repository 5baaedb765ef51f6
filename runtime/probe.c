/* `cordon probe`: what this kernel and this user can enforce: the Landlock
 * ABI and errata, seccomp, the cgroup layout, user namespaces. */
#include "probe.h"

#include <stdbool.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "cpb_format.h"
#include "fileio.h"
#include "landlock_abi.h"
#include "ns_layer.h"


static void read_line(const char *path, char *buf, size_t len)
{
	fio_read_at(AT_FDCWD, path, buf, len);
	buf[strcspn(buf, "\n")] = '\0';
}

static void probe_landlock(FILE *out)
{
	long abi = syscall(444, NULL, 0, CORDON_LL_CREATE_RULESET_VERSION);
	if (abi < 0) {
		fprintf(out, "landlock: not available (%s)%s\n", strerror(errno),
			errno == EOPNOTSUPP ? ": built in but not enabled; add landlock to "
					      "the lsm= kernel parameter" : "");
		return;
	}
	long errata = syscall(444, NULL, 0, CORDON_LL_CREATE_RULESET_ERRATA);
	fprintf(out, "landlock: ABI %ld", abi);
	if (errata >= 0)
		fprintf(out, ", errata 0x%lx", errata);
	fputs("; policy features this kernel enforces:", out);
	for (unsigned b = 0; b < CPB_FEAT_COUNT; b++)
		fprintf(out, "%s %s%s", b ? "," : "", cpb_feature_name(b),
			cpb_feature_abi(b) <= (unsigned)abi ? "" : " (no)");
	fputc('\n', out);
}

static void probe_seccomp(FILE *out)
{
	unsigned action = SECCOMP_RET_KILL_PROCESS;
	long r = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action);
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL)
		fputs("seccomp: not available (kernel built without CONFIG_SECCOMP)\n", out);
	else
		fprintf(out, "seccomp: filter mode available, KILL_PROCESS %s\n",
			r == 0 ? "supported" : "not supported");
}

static void probe_userns(FILE *out)
{
	char max[32], unpriv[32], why[256];
	read_line("/proc/sys/user/max_user_namespaces", max, sizeof max);
	read_line("/proc/sys/kernel/unprivileged_userns_clone", unpriv, sizeof unpriv);
	fprintf(out, "user namespaces: max_user_namespaces=%s%s%s\n", max[0] ? max : "?",
		unpriv[0] ? ", unprivileged_userns_clone=" : "", unpriv);
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{0, 0, 0}, {0, 0, 0}};
	if (syscall(SYS_capget, &h, d) != 0)
		memset(d, 0, sizeof d);
	const char *ns = ns_available((d[0].effective >> CAP_SYS_ADMIN) & 1, why, sizeof why);
	if (ns)
		fprintf(out, "namespace layer: %s\n", ns);
	else
		fprintf(out, "namespace layer: none (%s): the run goes on with Landlock and "
			     "seccomp\n", why);
}

int probe(FILE *out)
{
	fprintf(out, "uid %d, euid %d\n", (int)getuid(), (int)geteuid());
	probe_landlock(out);
	probe_seccomp(out);
	cg_probe(out);
	probe_userns(out);
	return fflush(out) == 0 ? 0 : 1;
}
