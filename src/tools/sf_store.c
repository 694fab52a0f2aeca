/* sf_store.c - the crash store (sf_store.h). */
#define _GNU_SOURCE /* flock, O_DIRECTORY, kill */
#include "sf_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_tool.h"

#define SF_STORE_MAGIC "seamfuzz-store 1\n"
#define SF_META_MAGIC  "seamfuzz-finding 1"

struct sf_store {
    char *dir;
    int lock_fd;
};

static const char *const sf__status_names[SF_ST_COUNT] = {"new", "known", "fixed", "flaky",
                                                          "regressed"};

const char *sf_store_status_name(sf_store_status st)
{
    return (unsigned)st < SF_ST_COUNT ? sf__status_names[st] : "?";
}

int sf_store_status_parse(const char *name)
{
    for (int i = 0; i < SF_ST_COUNT; i++)
        if (strcmp(name, sf__status_names[i]) == 0)
            return i;
    return -1;
}

static int sf__err(char *err, size_t n, const char *fmt, const char *a, const char *b)
{
    snprintf(err, n, fmt, a, b ? b : strerror(errno));
    return -1;
}

const char *sf_store_dir(const sf_store *s)
{
    return s->dir;
}

void sf_store_path(const sf_store *s, const char *key, const char *fname, char *buf, size_t n)
{
    if (fname)
        snprintf(buf, n, "%s/%s/%s", s->dir, key, fname);
    else
        snprintf(buf, n, "%s/%s", s->dir, key);
}

static int sf__mkdir(const char *path)
{
    if (mkdir(path, 0777) == 0)
        return sf_tool_fsync_parent(path);
    return errno == EEXIST ? 0 : -1;
}

int sf_store_open(const char *dir, int create, sf_store **out, char *err, size_t errlen)
{
    char path[4096];
    *out = NULL;
    snprintf(path, sizeof path, "%s/STORE", dir);
    uint8_t *magic = NULL;
    size_t len = 0;
    if (sf_tool_read_file(path, &magic, &len) != 0) {
        if (!create)
            return sf__err(err, errlen, "%s is not a crash store (no %s)", dir, "STORE");
        if (sf__mkdir(dir) != 0 ||
            sf_tool_write_file(path, SF_STORE_MAGIC, strlen(SF_STORE_MAGIC)) != 0)
            return sf__err(err, errlen, "cannot create the crash store %s: %s", dir, NULL);
    } else {
        int ok = len >= strlen(SF_STORE_MAGIC) - 1 &&
                 memcmp(magic, SF_STORE_MAGIC, strlen(SF_STORE_MAGIC) - 1) == 0;
        sf_free(magic);
        if (!ok)
            return sf__err(err, errlen, "%s/STORE is not a seamfuzz crash store (%s)", dir,
                           "its first line is not 'seamfuzz-store 1'");
    }
    snprintf(path, sizeof path, "%s/incoming", dir);
    if (sf__mkdir(path) != 0)
        return sf__err(err, errlen, "cannot create %s: %s", path, NULL);
    snprintf(path, sizeof path, "%s/lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return sf__err(err, errlen, "cannot open %s: %s", path, NULL);
    sf_store *s = sf_xcalloc(sizeof *s);
    s->dir = sf_xstrdup(dir);
    s->lock_fd = fd;
    *out = s;
    return 0;
}

void sf_store_close(sf_store *s)
{
    if (!s)
        return;
    close(s->lock_fd);
    sf_free(s->dir);
    sf_free(s);
}

static void sf__lock(sf_store *s)
{
    while (flock(s->lock_fd, LOCK_EX) != 0 && errno == EINTR) {
    }
}

static void sf__unlock(sf_store *s)
{
    flock(s->lock_fd, LOCK_UN);
}

uint64_t sf_store_hash(const void *data, size_t n)
{
    const uint8_t *p = data;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

void sf_store_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int sf_store_take(sf_store *s, const char *path, char *name, size_t n, char *err, size_t errlen)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (sf_tool_read_file(path, &data, &len) != 0)
        return sf__err(err, errlen, "cannot read %s: %s", path, NULL);
    snprintf(name, n, "%016llx", (unsigned long long)sf_store_hash(data, len));
    char dst[4096];
    snprintf(dst, sizeof dst, "%s/incoming/%s", s->dir, name);
    int rc = sf_tool_write_file(dst, data, len);
    sf_free(data);
    if (rc != 0)
        return sf__err(err, errlen, "cannot write %s: %s", dst, NULL);
    return 0;
}

static int sf__names(const char *dir, char ***out, int want_dirs)
{
    DIR *d = opendir(dir);
    *out = NULL;
    if (!d)
        return -1;
    size_t cap = 0, n = 0;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp"))
            continue;
        char p[4096];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || (want_dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = sf_xrealloc(v, cap * sizeof *v);
        }
        v[n++] = sf_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, sf_tool_cmp_str);
    *out = v;
    return (int)n;
}

long sf_store_incoming(sf_store *s, char ***names, char *err, size_t errlen)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/incoming", s->dir);
    int n = sf__names(dir, names, 0);
    if (n < 0)
        return sf__err(err, errlen, "cannot read %s: %s", dir, NULL);
    int k = 0;
    for (int i = 0; i < n; i++) {
        char *c = strstr((*names)[i], ".claim.");
        if (c) {
            /* Claimed: skipped, or given back when its process is gone. */
            long pid = strtol(c + 7, NULL, 10);
            if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) {
                sf_free((*names)[i]);
                continue;
            }
            char a[4400], b[4400];
            snprintf(a, sizeof a, "%s/%s", dir, (*names)[i]);
            *c = 0;
            snprintf(b, sizeof b, "%s/%s", dir, (*names)[i]);
            if (rename(a, b) != 0) {
                sf_free((*names)[i]);
                continue;
            }
        }
        (*names)[k++] = (*names)[i];
    }
    return k;
}

int sf_store_claim(sf_store *s, const char *name, char *claimed, size_t n, char *err, size_t errlen)
{
    char a[4400], b[4400];
    snprintf(claimed, n, "%s.claim.%ld", name, (long)getpid());
    snprintf(a, sizeof a, "%s/incoming/%s", s->dir, name);
    snprintf(b, sizeof b, "%s/incoming/%s", s->dir, claimed);
    if (rename(a, b) == 0)
        return 0;
    if (errno == ENOENT)
        return 1;
    return sf__err(err, errlen, "cannot claim %s: %s", a, NULL);
}

/* The entry folder name of a signature: its safe characters, then a hash of
 * the whole signature (two signatures that read alike stay apart). */
static void sf__key(const char *sig, char *key, size_t n)
{
    char safe[120];
    size_t k = 0;
    for (const char *p = sig; *p && k + 1 < sizeof safe; p++)
        safe[k++] = (char)((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'
                               ? *p
                               : '_');
    safe[k] = 0;
    snprintf(key, n, "%s-%08llx", safe,
             (unsigned long long)(sf_store_hash(sig, strlen(sig)) & 0xffffffffu));
}

static void sf__meta_text(const sf_finding *f, sf_buf *b)
{
    sf_buf_printf(b,
                  SF_META_MAGIC "\nsignature=%s\nid=%d\nfunction=%s\nengine=%s\ntarget=%s\n"
                                "first_seen=%s\nlast_seen=%s\ncount=%lu\nstatus=%s\nreplayed=%s\n"
                                "minimized=%s\n",
                  f->sig, f->id, f->function, f->engine, f->target, f->first_seen, f->last_seen,
                  f->count, sf_store_status_name(f->status), f->replayed, f->minimized);
}

static void sf__field(char *dst, size_t n, const char *line, const char *name)
{
    size_t k = strlen(name);
    if (strncmp(line, name, k) == 0 && line[k] == '=')
        snprintf(dst, n, "%s", line + k + 1);
}

/* Reads entry key's meta into *f.  0, or -1 (err). */
static int sf__meta_read(sf_store *s, const char *key, sf_finding *f, char *err, size_t errlen)
{
    char path[4096];
    sf_store_path(s, key, "meta", path, sizeof path);
    uint8_t *data = NULL;
    size_t len = 0;
    if (sf_tool_read_file(path, &data, &len) != 0)
        return sf__err(err, errlen, "cannot read %s: %s", path, NULL);
    memset(f, 0, sizeof *f);
    snprintf(f->key, sizeof f->key, "%s", key);
    char *text = (char *)data;
    if (strncmp(text, SF_META_MAGIC "\n", strlen(SF_META_MAGIC) + 1) != 0) {
        sf_free(data);
        return sf__err(err, errlen, "%s: not a finding's meta (%s)", path,
                       "its first line is not '" SF_META_MAGIC "'");
    }
    char num[32] = "", status[32] = "", count[32] = "";
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        sf__field(f->sig, sizeof f->sig, line, "signature");
        sf__field(num, sizeof num, line, "id");
        sf__field(f->function, sizeof f->function, line, "function");
        sf__field(f->engine, sizeof f->engine, line, "engine");
        sf__field(f->target, sizeof f->target, line, "target");
        sf__field(f->first_seen, sizeof f->first_seen, line, "first_seen");
        sf__field(f->last_seen, sizeof f->last_seen, line, "last_seen");
        sf__field(count, sizeof count, line, "count");
        sf__field(status, sizeof status, line, "status");
        sf__field(f->replayed, sizeof f->replayed, line, "replayed");
        sf__field(f->minimized, sizeof f->minimized, line, "minimized");
    }
    sf_free(data);
    f->id = atoi(num);
    f->count = strtoul(count, NULL, 10);
    int st = sf_store_status_parse(status);
    if (!f->sig[0] || st < 0)
        return sf__err(err, errlen, "%s: %s", path, "no signature or an unknown status");
    f->status = (sf_store_status)st;
    return 0;
}

static int sf__meta_write(sf_store *s, const sf_finding *f, char *err, size_t errlen)
{
    sf_buf b = {0};
    sf__meta_text(f, &b);
    char path[4096];
    sf_store_path(s, f->key, "meta", path, sizeof path);
    int rc = sf_tool_write_file(path, sf_tool_text(&b), b.len);
    sf_buf_free(&b);
    if (rc != 0)
        return sf__err(err, errlen, "cannot write %s: %s", path, NULL);
    return 0;
}

int sf_store_update(sf_store *s, const sf_finding *f, char *err, size_t errlen)
{
    sf__lock(s);
    int rc = sf__meta_write(s, f, err, errlen);
    sf__unlock(s);
    return rc;
}

int sf_store_put(sf_store *s, const char *key, const char *fname, const void *data, size_t len,
                 char *err, size_t errlen)
{
    char path[4096];
    sf_store_path(s, key, fname, path, sizeof path);
    if (sf_tool_write_file(path, data, len) != 0)
        return sf__err(err, errlen, "cannot write %s: %s", path, NULL);
    return 0;
}

/* Copies file src to dst (atomically) unless dst exists.  0 or -1. */
static int sf__copy_new(const char *src, const char *dst)
{
    if (access(dst, F_OK) == 0)
        return 0;
    uint8_t *data = NULL;
    size_t len = 0;
    if (sf_tool_read_file(src, &data, &len) != 0)
        return -1;
    int rc = sf_tool_write_file(dst, data, len);
    sf_free(data);
    return rc;
}

int sf_store_file(sf_store *s, const char *name, const sf_finding *m, const char *log, size_t len,
                  sf_finding *out, char *err, size_t errlen)
{
    char src[4096], key[200], dir[4096], dst[4200], base[200];
    snprintf(src, sizeof src, "%s/incoming/%s", s->dir, name);
    /* A claimed file (sf_store_claim) is stored under its content name. */
    snprintf(base, sizeof base, "%s", name);
    base[strcspn(base, ".")] = 0;
    name = base;
    sf__key(m->sig, key, sizeof key);
    sf_store_path(s, key, NULL, dir, sizeof dir);
    sf__lock(s);
    int fresh = access(dir, F_OK) != 0;
    sf_finding f;
    int rc = 0;
    if (fresh) {
        /* Built in a temporary folder, renamed into place whole. */
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", dir, (long)getpid());
        f = *m;
        snprintf(f.key, sizeof f.key, "%s", key);
        sf_store_now(f.first_seen, sizeof f.first_seen);
        snprintf(f.last_seen, sizeof f.last_seen, "%s", f.first_seen);
        f.count = 1;
        f.status = SF_ST_NEW;
        f.replayed[0] = 0;
        f.minimized[0] = 0;
        sf_buf b = {0};
        sf__meta_text(&f, &b);
        char p[4300];
        if (sf__mkdir(tmp) != 0)
            rc = sf__err(err, errlen, "cannot create %s: %s", tmp, NULL);
        snprintf(p, sizeof p, "%s/t-%s", tmp, name);
        if (rc == 0 && sf__copy_new(src, p) != 0)
            rc = sf__err(err, errlen, "cannot write %s: %s", p, NULL);
        snprintf(p, sizeof p, "%s/testcase", tmp);
        if (rc == 0 && sf__copy_new(src, p) != 0)
            rc = sf__err(err, errlen, "cannot write %s: %s", p, NULL);
        snprintf(p, sizeof p, "%s/testcase.log", tmp);
        if (rc == 0 && log && sf_tool_write_file(p, log, len) != 0)
            rc = sf__err(err, errlen, "cannot write %s: %s", p, NULL);
        snprintf(p, sizeof p, "%s/meta", tmp);
        if (rc == 0 && sf_tool_write_file(p, sf_tool_text(&b), b.len) != 0)
            rc = sf__err(err, errlen, "cannot write %s: %s", p, NULL);
        sf_buf_free(&b);
        if (rc == 0 && (rename(tmp, dir) != 0 || sf_tool_fsync_parent(dir) != 0))
            rc = sf__err(err, errlen, "cannot rename %s into place: %s", tmp, NULL);
        if (rc != 0) {
            /* Leave nothing half made; the incoming copy stays for a retry. */
            DIR *d = opendir(tmp);
            struct dirent *e;
            while (d && (e = readdir(d)) != NULL) {
                char q[4400];
                snprintf(q, sizeof q, "%s/%s", tmp, e->d_name);
                if (e->d_name[0] != '.')
                    unlink(q);
            }
            if (d)
                closedir(d);
            rmdir(tmp);
        }
    } else {
        rc = sf__meta_read(s, key, &f, err, errlen);
        snprintf(dst, sizeof dst, "%s/t-%s", dir, name);
        /* The same testcase again (an interrupted run filed twice) is not
         * one more sighting. */
        int again = access(dst, F_OK) == 0;
        if (rc == 0 && sf__copy_new(src, dst) != 0)
            rc = sf__err(err, errlen, "cannot write %s: %s", dst, NULL);
        if (rc == 0 && !again) {
            f.count++;
            sf_store_now(f.last_seen, sizeof f.last_seen);
            rc = sf__meta_write(s, &f, err, errlen);
        }
    }
    /* Filed (the testcase is in its entry, durably): the incoming copy goes. */
    if (rc == 0 && unlink(src) == 0)
        sf_tool_fsync_parent(src);
    sf__unlock(s);
    if (rc != 0)
        return -1;
    if (out)
        *out = f;
    return fresh;
}

long sf_store_list(sf_store *s, sf_finding **out, char *err, size_t errlen)
{
    char **names = NULL;
    *out = NULL;
    int n = sf__names(s->dir, &names, 1);
    if (n < 0)
        return sf__err(err, errlen, "cannot read %s: %s", s->dir, NULL);
    sf_finding *v = sf_xcalloc(sizeof *v * (size_t)(n ? n : 1));
    long k = 0;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char meta[4096];
        if (strcmp(names[i], "incoming") != 0) {
            sf_store_path(s, names[i], "meta", meta, sizeof meta);
            if (access(meta, F_OK) == 0 && rc == 0)
                rc = sf__meta_read(s, names[i], &v[k++], err, errlen);
        }
        sf_free(names[i]);
    }
    sf_free(names);
    if (rc != 0) {
        sf_free(v);
        return -1;
    }
    *out = v;
    return k;
}

int sf_store_merge(sf_store *s, const char *src, unsigned *added, unsigned *merged, char *err,
                   size_t errlen)
{
    sf_store *o = NULL;
    *added = *merged = 0;
    if (sf_store_open(src, 0, &o, err, errlen) != 0)
        return -1;
    sf_finding *v = NULL;
    long n = sf_store_list(o, &v, err, errlen);
    int rc = n < 0 ? -1 : 0;
    for (long i = 0; i < n && rc == 0; i++) {
        const sf_finding *sf = &v[i];
        char **files = NULL, sdir[4096], ddir[4096];
        sf_store_path(o, sf->key, NULL, sdir, sizeof sdir);
        sf_store_path(s, sf->key, NULL, ddir, sizeof ddir);
        int nf = sf__names(sdir, &files, 0);
        sf__lock(s);
        sf_finding d;
        int fresh = access(ddir, F_OK) != 0;
        if (fresh && sf__mkdir(ddir) != 0)
            rc = sf__err(err, errlen, "cannot create %s: %s", ddir, NULL);
        /* The testcases first, the meta last: a merge cut short leaves an
         * entry without meta, which the next merge completes. */
        for (int k = 0; k < nf; k++) {
            if (rc == 0 && strcmp(files[k], "meta") != 0) {
                char a[4400], b[4400];
                snprintf(a, sizeof a, "%s/%s", sdir, files[k]);
                snprintf(b, sizeof b, "%s/%s", ddir, files[k]);
                if (sf__copy_new(a, b) != 0)
                    rc = sf__err(err, errlen, "cannot copy %s: %s", a, NULL);
            }
            sf_free(files[k]);
        }
        sf_free(files);
        char meta[4096];
        sf_store_path(s, sf->key, "meta", meta, sizeof meta);
        if (rc == 0 && access(meta, F_OK) != 0) {
            rc = sf__meta_write(s, sf, err, errlen);
            (*added)++;
        } else if (rc == 0 && (rc = sf__meta_read(s, sf->key, &d, err, errlen)) == 0) {
            if (strcmp(sf->first_seen, d.first_seen) < 0)
                snprintf(d.first_seen, sizeof d.first_seen, "%s", sf->first_seen);
            if (strcmp(sf->last_seen, d.last_seen) > 0)
                snprintf(d.last_seen, sizeof d.last_seen, "%s", sf->last_seen);
            /* Each distinct testcase counts once: merging twice changes nothing. */
            char **t = NULL;
            int nt = sf__names(ddir, &t, 0);
            d.count = 0;
            for (int k = 0; k < nt; k++) {
                d.count += strncmp(t[k], "t-", 2) == 0;
                sf_free(t[k]);
            }
            sf_free(t);
            if (strcmp(sf->replayed, d.replayed) > 0) {
                d.status = sf->status;
                snprintf(d.replayed, sizeof d.replayed, "%s", sf->replayed);
            }
            if (sf->minimized[0])
                snprintf(d.minimized, sizeof d.minimized, "%s", sf->minimized);
            rc = sf__meta_write(s, &d, err, errlen);
            (*merged)++;
        }
        sf__unlock(s);
    }
    sf_free(v);
    sf_store_close(o);
    return rc;
}
