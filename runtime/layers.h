/* The layers of a run's policy, outermost first: the user's own policy
 * (${XDG_CONFIG_HOME:-~/.config}/cordon/user.cordon, when it exists), each
 * -p POLICY in order, then the .cordon discovered upward from the working
 * directory (unless --no-discover).  Each later layer can only take away:
 * the runtime enforces every layer on its own and merges what must be one
 * for the run (limits: the smallest; best-effort: only when every layer,
 * or --best-effort, asks for it). */
#ifndef CORDON_LAYERS_H
#define CORDON_LAYERS_H

#include "run.h"

/* Finds and loads the layers into r, and merges their limits and modes.
 * 0, or -1 with r->err. */
int layers_load(struct run *r);

/* Whether some layer's rules name a path under ~ (or a `set env` value uses
 * ${HOME}). */
bool layers_use_home(const struct run *r);

/* Adds, to each layer, its `deny` rules under ~ again for the other home
 * directory (struct home's pw): the command could reach that one through
 * any grant that covers it.  0, or -1 (out of memory). */
int layers_deny_other_home(struct run *r);


void layer_free(struct layer *y);

/* "user", "command line" or "discovered" (the report's "source"). */
const char *layer_source_name(enum layer_source s);

#endif
