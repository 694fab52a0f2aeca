/* sf_cmds.h - the `seamfuzz` commands that work on testcases and crashes:
 * show, encode, repro, minimize, cprog (sf_cmds.c) and triage, report
 * (sf_triage.c).  Each takes (argc, argv) with argv[0] the command name and
 * returns the exit code (sf_tool.h); each has a --help text here. */
#ifndef SF_CMDS_H
#define SF_CMDS_H

extern const char sf_show_usage[], sf_encode_usage[], sf_repro_usage[], sf_minimize_usage[],
    sf_cprog_usage[], sf_triage_usage[], sf_report_usage[];

int sf_cmd_show(int argc, char **argv);
int sf_cmd_encode(int argc, char **argv);
int sf_cmd_repro(int argc, char **argv);
int sf_cmd_minimize(int argc, char **argv);
int sf_cmd_cprog(int argc, char **argv);
int sf_cmd_triage(int argc, char **argv);
int sf_cmd_report(int argc, char **argv);

#endif /* SF_CMDS_H */
