#ifndef SLUICE_CCHILDPROCESS_H
#define SLUICE_CCHILDPROCESS_H
#include <spawn.h>

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module does not set. */
int sluice_posix_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);
int sluice_pipe_cloexec(int fds[2]);
int sluice_posix_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int from);
#endif
