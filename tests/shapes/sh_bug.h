/* sh_bug.h - the switch of the shapes toy's broken twins: 1 when the
 * environment's SH_BUG names this defect (sh_lib.c). */
#ifndef SH_BUG_H
#define SH_BUG_H

int sh_bug(const char *name);

#endif /* SH_BUG_H */
