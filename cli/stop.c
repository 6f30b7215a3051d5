/*
 * stop.c - Ctrl-C and SIGTERM as a request to stop: long commands check the
 * flag between events and finish cleanly with what they have, instead of
 * dying with half-written files.
 */
#include <signal.h>

#include "cli.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

volatile sig_atomic_t *cli_stop_on_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &stop_requested;
}
