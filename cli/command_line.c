/*
 * command_line.c - the command line a file was made with, recorded in the
 * headers of recordings so that `hunter inspect` can say how to remake them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_command_line(int argc, char **argv)
{
	size_t len = sizeof "hunter";
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t n = (size_t)snprintf(s, len, "hunter");
	for (int i = 0; i < argc; i++)
		n += (size_t)snprintf(s + n, len - n, " %s", argv[i]);
	return s;
}
