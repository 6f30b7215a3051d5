/* placeholder until the command lands */
#include "cli.h"
int cmd_backtest(int argc, char **argv) { return EXIT_USAGE; }
