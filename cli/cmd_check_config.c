/* placeholder until the command lands */
#include "cli.h"
int cmd_check_config(int argc, char **argv) { return EXIT_USAGE; }
