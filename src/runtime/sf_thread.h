/* sf_thread.h - a gate on thread starts, so that a leak check never runs
 * while a thread is being set up.
 *
 * LeakSanitizer reports a block as leaked when its check runs while another
 * thread is between pthread_create and its start routine: the sanitizer's
 * own set-up of that thread holds a block from pthread_getattr_np that no
 * root it scans points to yet (google/sanitizers#1836).  The Go runtime
 * starts threads of its own at any time, so the per-input check (SF-122)
 * could report that block on a correct program.
 *
 * Every target that links libseam is linked with -Wl,--wrap=pthread_create.
 * The wrapper counts the starts in flight (created, start routine not yet
 * entered) and, while the gate is closed, waits before creating a thread.
 * Without the wrap nothing is counted and hold/release cost two stores.
 */
#ifndef SF_THREAD_H
#define SF_THREAD_H

#include <stdint.h>

/* Closes the gate to new thread starts and waits until no start is in
 * flight, at most about a second.  Returns 0, or -1 when it gave up waiting
 * (the gate stays closed until sf_thread_release either way). */
int sf_thread_hold(void);
/* Opens the gate again; threads waiting in pthread_create go on. */
void sf_thread_release(void);
/* Thread starts seen by the wrapper since the process began (0 without the
 * wrap). */
uint64_t sf_thread_starts(void);

#endif /* SF_THREAD_H */
