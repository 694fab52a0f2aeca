/* sf_buildinfo.c - the "seamfuzz_info" ELF section of a fuzz binary, and
 * finding the binary that made a testcase (sf_buildinfo.h). */
#define _POSIX_C_SOURCE 200809L
#include "sf_buildinfo.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sf_tool.h"

#define INFO_SECTION "seamfuzz_info"
#define INFO_MAGIC   "SEAMFUZZ-BUILD-INFO 1\n"
#define INFO_MAX     (64u << 10)
#define SHDR_MAX     8192u

static int read_at(FILE *f, long off, void *buf, size_t n)
{
    return fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

/* The bytes of section `want` of the ELF64 file f into a malloc'd buffer
 * (*len bytes, NUL-terminated); NULL when absent or not ELF64. */
static char *elf_section(FILE *f, const char *want, size_t *len)
{
    Elf64_Ehdr eh;
    if (!read_at(f, 0, &eh, sizeof eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
        eh.e_shnum == 0 || eh.e_shnum > SHDR_MAX || eh.e_shstrndx >= eh.e_shnum)
        return NULL;
    Elf64_Shdr *sh = malloc(sizeof(Elf64_Shdr) * eh.e_shnum);
    char *names = NULL, *out = NULL;
    if (!sh || !read_at(f, (long)eh.e_shoff, sh, sizeof(Elf64_Shdr) * eh.e_shnum))
        goto done;
    const Elf64_Shdr *st = &sh[eh.e_shstrndx];
    if (st->sh_size == 0 || st->sh_size > (1u << 24) || !(names = malloc(st->sh_size + 1)) ||
        !read_at(f, (long)st->sh_offset, names, st->sh_size))
        goto done;
    names[st->sh_size] = 0;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        if (sh[i].sh_name >= st->sh_size || strcmp(names + sh[i].sh_name, want) != 0)
            continue;
        if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_size == 0 || sh[i].sh_size > INFO_MAX)
            break;
        if ((out = malloc(sh[i].sh_size + 1)) != NULL &&
            read_at(f, (long)sh[i].sh_offset, out, sh[i].sh_size)) {
            out[sh[i].sh_size] = 0;
            *len = sh[i].sh_size;
        } else {
            free(out);
            out = NULL;
        }
        break;
    }
done:
    free(names);
    free(sh);
    return out;
}

/* Copies the value of `key=` from the info text into dst. */
static void info_field(const char *text, const char *key, char *dst, size_t n)
{
    size_t k = strlen(key);
    dst[0] = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, key, k) != 0 || l[k] != '=')
            continue;
        const char *v = l + k + 1, *e = strchr(v, '\n');
        size_t m = e ? (size_t)(e - v) : strlen(v);
        snprintf(dst, n, "%.*s", (int)(m < n ? m : n - 1), v);
        return;
    }
}

int sf_buildinfo_read(const char *path, sf_buildinfo *bi)
{
    memset(bi, 0, sizeof *bi);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t len = 0;
    char *s = elf_section(f, INFO_SECTION, &len);
    fclose(f);
    /* The section may hold several strings (one per object linked in):
     * the first with the magic counts. */
    const char *t = s ? memchr(s, 'S', len) : NULL;
    while (t && strncmp(t, INFO_MAGIC, strlen(INFO_MAGIC)) != 0) {
        size_t at = (size_t)(t - s) + 1;
        t = at < len ? memchr(s + at, 'S', len - at) : NULL;
    }
    if (!t) {
        free(s);
        return 0;
    }
    info_field(t, "name", bi->name, sizeof bi->name);
    info_field(t, "engine", bi->engine, sizeof bi->engine);
    info_field(t, "sanitizers", bi->sanitizers, sizeof bi->sanitizers);
    info_field(t, "spec", bi->spec, sizeof bi->spec);
    info_field(t, "harness", bi->harness, sizeof bi->harness);
    info_field(t, "rust_archive", bi->rust_archive, sizeof bi->rust_archive);
    info_field(t, "go_archive", bi->go_archive, sizeof bi->go_archive);
    info_field(t, "cc", bi->cc, sizeof bi->cc);
    info_field(t, "source_dirs", bi->source_dirs, sizeof bi->source_dirs);
    info_field(t, "go_tags", bi->go_tags, sizeof bi->go_tags);
    info_field(t, "rust_features", bi->rust_features, sizeof bi->rust_features);
    free(s);
    return 1;
}

char *sf_buildinfo_self_dir(char *dir, size_t n)
{
    ssize_t k = readlink("/proc/self/exe", dir, n - 1);
    dir[k > 0 ? k : 0] = 0;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        dir[0] = 0;
    return dir;
}

static int is_fuzz_bin(const char *path)
{
    sf_buildinfo bi;
    return access(path, X_OK) == 0 && sf_buildinfo_read(path, &bi) == 1;
}

/* The target of an AFL++ output folder: fuzzer_stats's command_line, the
 * word after "--", into out; 0 when there is none. */
static int afl_target(const char *dir, char *out, size_t n)
{
    char path[4096], line[8192];
    snprintf(path, sizeof path, "%s/fuzzer_stats", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, "command_line", 12) != 0)
            continue;
        char *dd = strstr(line, " -- ");
        if (!dd)
            break;
        char *w = dd + 4, *e = w + strcspn(w, " \t\n");
        *e = 0;
        if (*w) {
            snprintf(out, n, "%s", w);
            found = 1;
        }
    }
    fclose(f);
    return found;
}

typedef struct want {
    char name[256];
    const char *why; /* how it was named */
} want;

/* Looks for want's name in the candidate folders. */
static int search_dirs(const want *w, const char *self_dir, char *bin, size_t n, char *how,
                       size_t hn)
{
    const char *env = getenv("SEAMFUZZ_BIN_DIR");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", env ? env : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save);; d = strtok_r(NULL, ":", &save)) {
        const char *dir = d;
        if (!dir) {
            if (!self_dir || !self_dir[0])
                return 0;
            dir = self_dir;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, w->name);
        if (is_fuzz_bin(path)) {
            snprintf(bin, n, "%s", path);
            snprintf(how, hn, "%s, found in %s", w->why, dir);
            return 1;
        }
        if (!d)
            return 0;
    }
}

int sf_buildinfo_locate(const char *testcase, const char *named, const char *self_dir, char *bin,
                        size_t n, char *how, size_t hn, char *err, size_t en)
{
    want w[8];
    int nw = 0;
    /* 1. The saved report's BINARY: line: by its name in this build (the
     * report may come from another checkout or machine), else where it was. */
    if (named && named[0]) {
        snprintf(w[0].name, sizeof w[0].name, "%s", sf_tool_base_name(named));
        w[0].why = "named by its saved report";
        if (search_dirs(&w[0], self_dir, bin, n, how, hn))
            return 0;
        if (is_fuzz_bin(named)) {
            snprintf(bin, n, "%s", named);
            snprintf(how, hn, "named by its saved report");
            return 0;
        }
    }
    /* 2. An AFL++ output folder (crashes/ is inside it) says its target;
     * 3. a folder named after the target (ci/fuzz.sh: crashes/<target>/). */
    char dir[4096], tgt[4096];
    snprintf(dir, sizeof dir, "%s", testcase);
    for (int up = 0; up < 3 && nw < 6; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            snprintf(dir, sizeof dir, ".");
        else if (slash == dir)
            dir[1] = 0;
        else
            *slash = 0;
        if (afl_target(dir, tgt, sizeof tgt)) {
            if (is_fuzz_bin(tgt)) {
                snprintf(bin, n, "%s", tgt);
                snprintf(how, hn, "the target of the AFL++ run in %s", dir);
                return 0;
            }
            snprintf(w[nw].name, sizeof w[nw].name, "%s", sf_tool_base_name(tgt));
            w[nw++].why = "the target of its AFL++ run";
        }
        if (up == 0 && strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0) {
            snprintf(w[nw].name, sizeof w[nw].name, "%s", sf_tool_base_name(dir));
            w[nw++].why = "its folder's name";
            snprintf(w[nw].name, sizeof w[nw].name, "fuzz_%s", sf_tool_base_name(dir));
            w[nw++].why = "its folder's name";
        }
        if (!slash)
            break;
    }
    for (int i = 0; i < nw; i++)
        if (search_dirs(&w[i], self_dir, bin, n, how, hn))
            return 0;
    if (named && named[0])
        snprintf(err, en,
                 "%s: its saved report names the fuzz binary %s, which is not there nor in "
                 "$SEAMFUZZ_BIN_DIR or %s: build it, or pass --bin FUZZ_BINARY",
                 testcase, named, self_dir && self_dir[0] ? self_dir : "the tool's folder");
    else
        snprintf(err, en,
                 "cannot tell which fuzz binary made %s (no saved report %s.log names one, and "
                 "no binary in $SEAMFUZZ_BIN_DIR or %s is named after its folder): pass --bin "
                 "FUZZ_BINARY",
                 testcase, testcase, self_dir && self_dir[0] ? self_dir : "the tool's folder");
    return -1;
}
