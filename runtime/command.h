/* The executable a run starts. */
#ifndef CORDON_COMMAND_H
#define CORDON_COMMAND_H

/* cmd as given when it holds a '/', else the first regular, executable
 * file of that name in the sandbox's PATH (env; a default without one).
 * malloc'd; NULL when not found. */
char *resolve_command(const char *cmd, char *const *env);

#endif
