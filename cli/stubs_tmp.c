#include "cli.h"
int cmd_import(int argc, char **argv) { return 2; }
int cmd_inspect(int argc, char **argv) { return 2; }
int cmd_synth(int argc, char **argv) { return 2; }
int cmd_check_config(int argc, char **argv) { return 2; }
int cmd_backtest(int argc, char **argv) { return 2; }
int cmd_report(int argc, char **argv) { return 2; }
