#ifndef SLUICE_CGIT2_SHIM_H
#define SLUICE_CGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is variadic, so Swift cannot call it: one typed forwarder per option we use. */
static inline int sluice_git_set_ssl_cert_file(const char *file) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, (const char *)0);
}
static inline int sluice_git_set_search_path_none(void) {
    /* Ignore the user's and the system's git config: a controller must behave the same on every host. */
    int rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, "");
    if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, "");
    if (rc == 0) rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, "");
    return rc;
}
static inline int sluice_git_disable_owner_validation(void) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}
#endif
