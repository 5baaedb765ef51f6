/* The refusal of a strict run whose limits need a cgroup that this user
 * cannot have: what is missing, in one sentence, and only the ways out that
 * work on this host (--best-effort; systemd-run where a user manager runs on
 * cgroup v2; else the commands with which root delegates a cgroup on this
 * layout). */
#ifndef CORDON_CG_ADVICE_H
#define CORDON_CG_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"

/* The text from its parts (no look at the host): present is the policy's
 * CPB_LIMIT_* bits, why the cgroup layer's reason (path and errno). */
void cg_advice(const struct cg_place *w, unsigned uid, bool user_manager, uint32_t present,
	       const char *why, char *out, size_t len);

/* Whether uid has a systemd user manager to ask for a delegated scope: its
 * private socket in $XDG_RUNTIME_DIR (else /run/user/UID) and systemd-run. */
bool cg_user_manager(unsigned uid);

/* cg_advice for this host and user. */
void cg_refusal(uint32_t present, const char *why, char *out, size_t len);

#endif
