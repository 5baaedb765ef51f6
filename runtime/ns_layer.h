/* The namespace layer: wherever a mount namespace can be had, the command
 * gets a mount namespace and an IPC namespace of its own, in which
 *
 *  - the whole filesystem is read-only except the trees (and single files)
 *    that every layer of the policy lets it write: chmod, chown, utimes,
 *    xattrs, link, mknod, rename and truncate outside them fail with EROFS
 *    whatever Landlock allows (Landlock has no right for metadata, and a
 *    root command without capabilities still owns root's files).  Each
 *    writable tree is cloned with its submounts, which keep their own flags
 *    (a read-only mount inside the workspace stays read-only), before `/`
 *    is made read-only, and attached where it was;
 *  - `deny write` paths inside writable trees, and any path another part of
 *    cordon asks for (ns_hold_readonly), are read-only binds, with every
 *    directory between the writable tree and them bound onto itself, so
 *    that none of them can be renamed or removed (EBUSY) to put another in
 *    its place;
 *  - `deny read` paths inside writable trees (or below an allowed path
 *    written as their prefix) are covered by an empty, inaccessible mount
 *    (a directory or a file of mode 0 on a private, read-only tmpfs):
 *    nothing to open, list, rename or link, and nothing of theirs can be
 *    moved out for a later run to grant;
 *  - /dev/shm, when every layer lets the command write it, is a private
 *    tmpfs (nosuid, nodev, noexec, mode 1777) of `limit memory` (the
 *    smallest of the layers; NS_SHM_DEFAULT without), gone with the run;
 *  - SysV shared memory, message queues, semaphores and POSIX message
 *    queues are the namespace's own: nothing of the machine's is visible.
 *
 * As root (CAP_SYS_ADMIN) the namespaces are made directly; otherwise in a
 * user namespace that maps only the caller's uid and gid (files keep their
 * owners; capabilities the user namespace gives are dropped before exec).
 * Propagation to the caller's namespace is cut (every mount private):
 * nothing is mounted outside.  Landlock and seccomp stay as they are; this
 * is a layer more.  Where no namespace can be had (user namespaces
 * disabled, a container's seccomp filter, an outer Landlock domain) the
 * run goes on without it: ns_plan decides that once, before the command
 * runs, and the report says which ("namespaces": "mount,ipc" or "none").
 *
 * Parent (before the clone): ns_plan, ns_hold_readonly, ns_clone_flags.
 * Child (between clone and exec, system calls only): ns_apply. */
#ifndef CORDON_NS_LAYER_H
#define CORDON_NS_LAYER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "landlock.h"
#include "policy_load.h"

/* The parts of the layer (--ns-layer=LIST, for benchmarks and tests: the
 * layer does no more than the parts named, never more than the machine
 * allows). */
enum {
	NS_MOUNT = 1 << 0,  /* a mount namespace, propagation cut */
	NS_IPC = 1 << 1,    /* an IPC namespace */
	NS_VIEW = 1 << 2,   /* the read-only view with its writable trees */
	NS_HOLDS = 1 << 3,  /* read-only binds of deny write (and ns_hold_readonly) */
	NS_COVERS = 1 << 4, /* empty mounts over deny read */
	NS_SHM = 1 << 5,    /* a private /dev/shm */
	NS_ALL = (1 << 6) - 1,
};

/* /dev/shm's size without `limit memory`. */
#define NS_SHM_DEFAULT (256ULL << 20)
/* The most writable trees the view clones (the child keeps two fds each on
 * its stack). */
#define NS_MAX_TREES 256

/* A path as the parent found it: the child opens it without following a
 * symbolic link at its end and checks it is still that inode. */
struct ns_path {
	char *path;  /* canonical */
	dev_t dev;
	ino_t ino;
	bool dir;
};

struct ns_list {
	struct ns_path *v;
	size_t n, cap;
};

struct ns_plan {
	bool active;            /* the command gets namespaces */
	bool userns;            /* ... inside a user namespace of its own */
	unsigned parts;         /* NS_*: what it gets */
	char why[256];          /* !active: why not */
	bool lost_holds;        /* !active: some layer has a `deny write` that
				 * Landlock alone must now hold (see ns_plan) */
	char uid_map[32], gid_map[32];
	bool view;              /* `/` read-only but the writable trees */
	struct ns_list wr;      /* the writable trees (outermost only) */
	struct ns_list pin;     /* directories bound onto themselves, shallowest first */
	struct ns_list hold;    /* read-only binds, shallowest first */
	struct ns_list cover;   /* empty mounts, shallowest first */
	bool cover_file;        /* some cover is of a non-directory */
	size_t cover_first_dir; /* index of the first directory cover, or cover.n */
	struct ns_path cover_tmp; /* only file covers: where the tmpfs is attached a moment */
	bool shm;               /* a private /dev/shm */
	struct ns_path shm_dir;
	char shm_opts[96];      /* its mount options: mode, size, nr_inodes */
	char cwd[PATH_MAX];     /* entered again once the view is made ("": none) */
	/* deny rules given to the mounts (their bits cleared in the layer), to
	 * give back to Landlock (ns_unplan) */
	struct ns_moved {
		struct cpb_policy *layer;
		size_t rule;
		uint64_t deny;
	} *moved;
	size_t nmoved;
	/* paths held through ns_hold_readonly: Landlock carve-outs on ns_unplan */
	struct ns_given {
		struct cpb_policy *layer;
		char *path;
	} *given;
	size_t ngiven;
};

/* Parses --ns-layer's LIST: "all", "none", or parts joined by ',' (mount,
 * ipc, view, holds, covers, shm).  0, or -1 for a word it does not know. */
int ns_parse_parts(const char *list, unsigned *parts);

/* Decides whether the command gets namespaces (sys_admin: this process
 * holds CAP_SYS_ADMIN) and plans them for the layers (outermost first).
 * Before that, for every layer, makes each missing `deny write DIR/`
 * (written with a trailing '/') whose parent lies in a writable tree:
 * empty, mode 0755, as git would, so that the mount or Landlock's
 * carve-out holds it.  Clears, in the layers, the deny bits of the `deny
 * write` rules the mounts hold (Landlock would expand them into grants on
 * the siblings along the way, which takes the right to create entries from
 * every directory on that way).  0 (n->active tells), or -1 with err. */
int ns_plan(struct ns_plan *n, struct cpb_policy *const *layers, size_t nlayers,
	    const struct ll_paths *paths, unsigned parts, bool sys_admin, char *err,
	    size_t errlen);

/* What a run would get here ("mount,ipc, ...": for `cordon probe`), or
 * NULL with why. */
const char *ns_available(bool sys_admin, char *why, size_t len);

/* Holds path read-only in the view, as `deny write` inside a writable tree
 * is held (for `protect`, the policy files, the cache).  layer: the
 * policy that asks, which gets a Landlock carve-out for it if the
 * namespaces cannot be made after all (ns_unplan).  Returns 1 when the view
 * will hold it (by a bind, or because it lies outside every writable tree),
 * 0 when there is no view (the caller holds it by other means), -1 with
 * errno (ENOENT: it does not exist; ENOMEM). */
int ns_hold_readonly(struct ns_plan *n, struct cpb_policy *layer, const char *path);

/* The clone flags for the child (CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER),
 * 0 when not active. */
int ns_clone_flags(const struct ns_plan *n);

/* What the report's "namespaces" says: "mount,ipc", "mount", "ipc" or
 * "none". */
const char *ns_enforced(const struct ns_plan *n);

/* The last resort, when the namespaces could not be made after all: gives
 * the rules back to Landlock (and adds carve-outs for what
 * ns_hold_readonly held: their paths are n's strings, so n is freed only
 * after the layers' last use), and makes n inactive.  0, or -1 when out of
 * memory. */
int ns_unplan(struct ns_plan *n, const char *why);

/* In the child, between clone (with ns_clone_flags) and exec, before
 * capabilities are dropped: the user namespace's maps, the view, the
 * holds, the covers, /dev/shm, and the working directory entered again.
 * Only system calls.  0; -1 with errno when a mount failed (*what: the
 * path or the step), which the caller may retry without namespaces; -2
 * with errno when the working directory cannot be entered in the view. */
int ns_apply(const struct ns_plan *n, const char **what);

void ns_free(struct ns_plan *n);

#endif
