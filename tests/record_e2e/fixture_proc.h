/*
 * fixture_proc.h - running hunter from the end-to-end tests: start it with
 * its output in files, wait for it with a deadline, and start `hunter serve`
 * reading the port from its first line. Test code only.
 */
#ifndef FIXTURE_PROC_H
#define FIXTURE_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* Starts argv (argv[0] the program, NULL-terminated) with stdout and stderr
 * going to the files named (NULL: inherited). Returns the pid, -1 on failure. */
pid_t fixture_spawn(const char *const *argv, const char *out, const char *err);
/* The same, with no file allowed past `max_bytes` (a full disk, as the
 * program sees it: writes fail with EFBIG). */
pid_t fixture_spawn_limited(const char *const *argv, const char *out, const char *err,
                            long max_bytes);

/* The exit code, or 128 + signal; -1 if it was still running after
 * `timeout_ms` (then it is killed). */
int fixture_wait(pid_t pid, int timeout_ms);

/* Starts `hunter serve --port 0 ARGS...` (extra NULL-terminated, stderr to
 * err_path) and returns its pid, with the port it listens on in *port; -1 if
 * it did not say within a few seconds. */
pid_t fixture_serve(const char *const *extra, const char *err_path, int *port);

int64_t fixture_wall_ms(void);

#endif
