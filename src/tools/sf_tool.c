/* sf_tool.c - helpers shared by the seamfuzz commands: errors, options, files,
 * scratch directories and running a fuzz binary as a child with a timeout. */
#define _GNU_SOURCE /* memmem, mkdtemp */
#include "sf_tool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_err.h"

_Noreturn void sf_fatal(const char *fmt, ...)
{
    va_list ap;
    fputs("seamfuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(SF_EXIT_USAGE);
}

void *sf_xcalloc(size_t n)
{
    void *p = sf_calloc(n ? n : 1);
    if (p == NULL)
        sf_fatal("out of memory (%zu bytes)", n);
    return p;
}

void *sf_xrealloc(void *p, size_t n)
{
    void *q = sf_realloc(p, n ? n : 1);
    if (q == NULL)
        sf_fatal("out of memory (%zu bytes)", n);
    return q;
}

char *sf_xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = sf_xcalloc(n + 1);
    memcpy(d, s, n);
    return d;
}

const char *sf_tool_text(const sf_buf *b)
{
    if (b->oom)
        sf_fatal("out of memory");
    return b->p ? b->p : "";
}

char *sf_op_text(const sf_prog *p, uint32_t i)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        sf_fatal("out of memory");
    sf_prog_print_op(p, i, f);
    fclose(f);
    char *s = sf_xstrdup(buf);
    free(buf); /* open_memstream's buffer comes from malloc */
    return s;
}

int sf_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "seamfuzz %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'seamfuzz %s --help')\n", cmd);
    return SF_EXIT_USAGE;
}

int sf_tool_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "seamfuzz %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return SF_EXIT_USAGE;
}

int sf_is_help(const char *a)
{
    return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

int sf_tool_ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

const char *sf_tool_base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "?";
}

int sf_tool_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sf_is_opt(const char *arg, const char *opt)
{
    size_t n = strlen(opt);
    return strncmp(arg, opt, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *sf_opt_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], opt) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* Reads and parses the spec at path; NULL after one line (*code 2) when the
 * file cannot be read. */
static sf_seam *read_spec(const char *cmd, const char *path, int *code)
{
    char why[512] = "";
    sf_seam *s = NULL;
    int rc = sf_seam_load(path, &s, why, sizeof(why));
    if (s == NULL) {
        fprintf(stderr, "seamfuzz %s: %s\n", cmd, why[0] ? why : sf_strerror(rc));
        *code = SF_EXIT_USAGE;
    }
    return s;
}

sf_seam *sf_tool_load_spec(const char *cmd, const char *path, int *code)
{
    sf_seam *s = read_spec(cmd, path, code);
    if (s == NULL)
        return NULL;
    if (sf_seam_errors(s) || sf_seam_spec(s) == NULL) {
        char first[512];
        sf_seam_first_diag(s, first, sizeof(first));
        fprintf(stderr, "seamfuzz %s: %s is not a valid spec: %s (check it with 'seamfuzz gen')\n",
                cmd, path, first);
        sf_seam_free(s);
        *code = SF_EXIT_USAGE;
        return NULL;
    }
    return s;
}

sf_seam *sf_tool_check_spec(const char *cmd, const char *path, int *code)
{
    sf_seam *s = read_spec(cmd, path, code);
    if (s == NULL)
        return NULL;
    if (sf_seam_errors(s)) {
        sf_seam_print_diags(s, stderr);
        fprintf(stderr, "seamfuzz %s: %u error%s in %s\n", cmd, sf_seam_errors(s),
                sf_seam_errors(s) == 1 ? "" : "s", path);
        sf_seam_free(s);
        *code = SF_EXIT_FAIL;
        return NULL;
    }
    return s;
}

int sf_tool_read_file(const char *path, uint8_t **data, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
        close(fd);
        errno = e ? e : EINVAL;
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    uint8_t *buf = sf_xcalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = sf_xrealloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            close(fd);
            sf_free(buf);
            errno = e;
            return -1;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

int sf_tool_write_file(const char *path, const void *data, size_t len)
{
    size_t n = strlen(path) + 32;
    char *tmp = sf_xcalloc(n);
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        sf_free(tmp);
        return -1;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            sf_free(tmp);
            errno = e;
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        sf_free(tmp);
        errno = e;
        return -1;
    }
    sf_free(tmp);
    return sf_tool_fsync_parent(path);
}

int sf_tool_fsync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* 1 if the executable at path contains libFuzzer's flag table. */
static int is_libfuzzer_binary(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int found = 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            static const char needle[] = "artifact_prefix";
            found = memmem(m, (size_t)st.st_size, needle, sizeof(needle) - 1) != NULL;
            munmap(m, (size_t)st.st_size);
        }
    }
    close(fd);
    return found;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int sf_tool_run_bin(const char *bin, const char *testcase, unsigned timeout_s, sf_child *r,
                    char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    if (access(bin, X_OK) != 0) {
        snprintf(
            err, errlen,
            "cannot run %s: %s (pass the fuzz binary, e.g. --bin build/standalone/bin/fuzz_<name>)",
            bin, strerror(errno));
        return -1;
    }
    char scratch[512] = "", prefix[600] = "";
    int libfuzzer = is_libfuzzer_binary(bin);
    if (libfuzzer) {
        if (sf_tool_mkscratch(scratch, sizeof(scratch)) != 0) {
            snprintf(err, errlen, "cannot create a scratch directory: %s", strerror(errno));
            return -1;
        }
        snprintf(prefix, sizeof(prefix), "-artifact_prefix=%s/", scratch);
    }
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        sf_tool_rmscratch(scratch);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        sf_tool_rmscratch(scratch);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        /* A re-exec guard inherited from a parent run must not stop the
         * child from setting up the Go environment itself. */
        unsetenv("SEAM_REEXECED");
        char *argv[4];
        int n = 0;
        argv[n++] = (char *)bin;
        if (libfuzzer)
            argv[n++] = prefix;
        argv[n++] = (char *)testcase;
        argv[n] = NULL;
        execv(bin, argv);
        fprintf(stderr, "seamfuzz: cannot execute %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* also in the parent: no race with killpg below */
    close(fds[1]);
    sf_buf out = {0};
    uint64_t deadline = timeout_s ? now_ms() + (uint64_t)timeout_s * 1000u : 0;
    for (;;) {
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int wait_ms = 200;
        if (deadline) {
            uint64_t t = now_ms();
            if (t >= deadline) {
                r->timed_out = 1;
                kill(-pid, SIGKILL);
                break;
            }
            if (deadline - t < (uint64_t)wait_ms)
                wait_ms = (int)(deadline - t);
        }
        int pr = poll(&pfd, 1, wait_ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            continue;
        char chunk[65536];
        ssize_t got = read(fds[0], chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; /* every writer closed the pipe */
        if (out.len < SF_CHILD_MAX_OUT)
            sf_buf_put(&out, chunk, (size_t)got);
    }
    close(fds[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    /* Anything the child left behind in its group (Go helpers) goes too. */
    kill(-pid, SIGKILL);
    r->status = st;
    (void)sf_tool_text(&out); /* out of memory is fatal here, as for every tool buffer */
    if (out.p == NULL)
        sf_buf_put(&out, "", 0);
    r->out = out.p;
    r->len = out.len;
    sf_tool_rmscratch(scratch);
    return 0;
}

int sf_child_crashed(const sf_child *r)
{
    if (r->timed_out)
        return 1;
    if (WIFSIGNALED(r->status))
        return 1;
    return WIFEXITED(r->status) && WEXITSTATUS(r->status) != 0;
}

int sf_tool_mkscratch(char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    if (t == NULL || t[0] == '\0')
        t = "/tmp";
    if ((size_t)snprintf(dir, n, "%s/seamfuzz.XXXXXX", t) >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(dir) ? 0 : -1;
}

void sf_tool_rmscratch(const char *dir)
{
    if (dir == NULL || dir[0] == '\0')
        return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[1024];
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}
