/* sf_store.h - the crash store: a folder that keeps every finding of every
 * campaign, keyed by its signature (sf_crashlog.h), so that nothing an engine
 * wrote is ever lost and a nightly job can tell new findings from known,
 * fixed and flaky ones.  Layout (docs/nightly.md):
 *
 *   STORE                  "seamfuzz-store 1"
 *   lock                   flock()ed while an entry is created or its meta written
 *   incoming/<hash>        a crash file copied in the moment it was seen, not yet filed
 *   <key>/meta             the finding: signature, id, function, engine, target,
 *                          first/last seen, count, status, testcase names
 *   <key>/testcase(.log)   the first testcase and its report (seamfuzz report reads them)
 *   <key>/t-<hash>         every distinct testcase filed under the signature
 *   <key>/minimized(.txt)  the minimized testcase and its text program, once made
 *
 * Every file is written to a temporary name, fsync()ed and renamed; an entry
 * is created as a temporary folder renamed into place.  Nothing here ever
 * deletes a testcase: an incoming file is removed only after it is filed.
 * Two processes may use one store at once (the lock serialises the writes
 * that read-modify-write; testcases are content-addressed).
 */
#ifndef SF_STORE_H
#define SF_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "sf_crashlog.h"

typedef struct sf_store sf_store;

typedef enum sf_store_status {
    SF_ST_NEW = 0,   /* filed, not yet replayed by a nightly run */
    SF_ST_KNOWN,     /* still crashes the same way */
    SF_ST_FIXED,     /* no longer crashes */
    SF_ST_FLAKY,     /* crashes on some replays only */
    SF_ST_REGRESSED, /* was fixed, crashes again */
    SF_ST_COUNT
} sf_store_status;

/* One finding (an entry's meta). */
typedef struct sf_finding {
    char key[200];        /* the entry's folder name */
    char sig[SF_SIG_MAX]; /* signature */
    int id;               /* violation number, 0 for a raw report */
    char function[128];
    char engine[32]; /* libfuzzer, afl, ... */
    char target[128];
    char first_seen[32], last_seen[32]; /* UTC, 2026-12-03T09:00:00Z */
    unsigned long count;                /* distinct testcases filed under it */
    sf_store_status status;
    char replayed[32]; /* when the status was last set by a replay, or "" */
    char minimized[8]; /* "yes" once minimized, else "" */
} sf_finding;

/* Opens the store at dir (OUT *out; close with sf_store_close), creating it
 * when create is set.  Returns 0, or -1 with one line in err (not a store,
 * cannot create, cannot lock). */
int sf_store_open(const char *dir, int create, sf_store **out, char *err, size_t errlen);
void sf_store_close(sf_store *s);
/* The store's folder (borrowed). */
const char *sf_store_dir(const sf_store *s);

/* The content hash that names testcases (64-bit FNV-1a of n bytes). */
uint64_t sf_store_hash(const void *data, size_t n);

/* Copies the file at path into incoming/ under its content hash, written
 * into name (a file name).  Returns 0, or -1 with one line in err. */
int sf_store_take(sf_store *s, const char *path, char *name, size_t n, char *err, size_t errlen);
/* The names in incoming/ not claimed by a running process (sorted; caller
 * frees each and the array with sf_free); a claim of a process that died is
 * given back first.  Returns their number, or -1 with one line in err. */
long sf_store_incoming(sf_store *s, char ***names, char *err, size_t errlen);
/* Claims incoming/<name> for this process (renamed to <name>.claim.<pid>,
 * written into claimed), so that two processes never file one file.
 * Returns 0, 1 when another process took it first, -1 (err). */
int sf_store_claim(sf_store *s, const char *name, char *claimed, size_t n, char *err,
                   size_t errlen);

/* Files incoming/<name> under m->sig (m's signature, id, function, engine,
 * target; the rest is ignored): creates the entry with log (len bytes, may
 * be NULL) as its report, or adds the testcase to it; then removes it from
 * incoming.  *out (may be NULL) gets the entry as stored.  Returns 1 for a
 * new entry, 0 for a known one, -1 with one line in err. */
int sf_store_file(sf_store *s, const char *name, const sf_finding *m, const char *log, size_t len,
                  sf_finding *out, char *err, size_t errlen);

/* The entries, sorted by key (caller frees *out with sf_free).  Returns
 * their number, or -1 with one line in err. */
long sf_store_list(sf_store *s, sf_finding **out, char *err, size_t errlen);
/* Rewrites the meta of entry f->key from *f.  Returns 0 or -1 (err). */
int sf_store_update(sf_store *s, const sf_finding *f, char *err, size_t errlen);
/* Writes a file named fname (no '/') into entry key.  Returns 0 or -1 (err). */
int sf_store_put(sf_store *s, const char *key, const char *fname, const void *data, size_t len,
                 char *err, size_t errlen);
/* The path of file fname of entry key, written into buf. */
void sf_store_path(const sf_store *s, const char *key, const char *fname, char *buf, size_t n);

/* Merges the store at src into s: new entries are copied whole; for known
 * ones the testcases are added (the count is then the distinct ones),
 * first/last seen widened, and
 * a status kept from the side that replayed last.  *added and *merged count
 * entries.  Merging the same store twice changes nothing.  Returns 0 or -1
 * (err). */
int sf_store_merge(sf_store *s, const char *src, unsigned *added, unsigned *merged, char *err,
                   size_t errlen);

/* The time now as the store writes it (UTC, 2026-12-03T09:00:00Z) into buf. */
void sf_store_now(char *buf, size_t n);

/* "new", "known", ...; and back (-1 when unknown). */
const char *sf_store_status_name(sf_store_status st);
int sf_store_status_parse(const char *name);

#endif /* SF_STORE_H */
