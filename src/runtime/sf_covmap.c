/* sf_covmap.c - the counters a campaign has hit, per module (sf_covmap.h).
 *
 * The executable's counters and PC table are the linker's __sancov_cntrs and
 * __sancov_pcs sections (C and Rust alike); the Go archive's counters are
 * the section .go.fuzzcntrs, which has no C-visible bounds, so it is found
 * in the executable's own section table.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include "sf_covmap.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sf_alloc.h"
#include "sf_buf.h"
#include "sf_covline.h"

#define SF_COV_MODULES 2

extern uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern uint8_t __stop___sancov_cntrs[] __attribute__((weak));
extern const uintptr_t __start___sancov_pcs[] __attribute__((weak));

typedef struct sf__covmod {
    uint8_t *start;
    size_t len;
    const uintptr_t *pcs; /* PC table: (pc, flags) pairs, or NULL */
    int go;
} sf__covmod;

static int sf__first_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    *(uintptr_t *)data = (uintptr_t)info->dlpi_addr;
    return 1; /* the first object is the executable */
}

/* The Go archive's counters: section .go.fuzzcntrs of the executable.
 * 0 with *m filled, or -1. */
static int sf__go_module(sf__covmod *m)
{
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && (size_t)st.st_size > sizeof(Elf64_Ehdr))
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return -1;
    int rc = -1;
    const uint8_t *f = map;
    const Elf64_Ehdr *eh = map;
    size_t size = (size_t)st.st_size;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
        eh->e_shoff && eh->e_shstrndx < eh->e_shnum &&
        eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) <= size) {
        const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
        const Elf64_Shdr *strs = &sh[eh->e_shstrndx];
        for (int i = 0; i < eh->e_shnum && strs->sh_offset + strs->sh_size <= size; i++) {
            if (sh[i].sh_name >= strs->sh_size ||
                strncmp((const char *)f + strs->sh_offset + sh[i].sh_name, ".go.fuzzcntrs",
                        strs->sh_size - sh[i].sh_name) != 0)
                continue;
            uintptr_t base = 0;
            dl_iterate_phdr(sf__first_object, &base);
            m->start = (uint8_t *)(base + sh[i].sh_addr);
            m->len = sh[i].sh_size;
            m->pcs = NULL;
            m->go = 1;
            rc = m->len ? 0 : -1;
            break;
        }
    }
    munmap(map, size);
    return rc;
}

struct sf_covmap {
    char *path;
    sf__covmod mods[SF_COV_MODULES];
    uint8_t *hit[SF_COV_MODULES]; /* one byte per counter: 1 once hit */
    size_t n_hit[SF_COV_MODULES];
    int n;
    uint64_t last_ns;
    int dirty;
};

/* Writes the PC of every counter of each native module, as offsets into
 * the file that holds it: "<module> <offset hex>" lines. */
static void sf__write_pcs(const sf_covmap *m)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s.pcs", m->path);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "seamfuzz-pcs 1\n");
    for (int i = 0; i < m->n; i++) {
        const sf__covmod *mod = &m->mods[i];
        if (mod->go || !mod->pcs)
            continue;
        Dl_info di;
        uintptr_t base =
            dladdr((void *)mod->pcs[0], &di) && di.dli_fbase ? (uintptr_t)di.dli_fbase : 0;
        for (size_t k = 0; k < mod->len; k++)
            fprintf(f, "%d %lx\n", i, (unsigned long)(mod->pcs[2 * k] - base));
    }
    if (fclose(f) == 0)
        rename(tmp, path);
    else
        remove(tmp);
}

/* A campaign restarts a worker after each crash with the same file: start
 * from the counters the file already holds when its modules match. */
static void sf__read_back(sf_covmap *m)
{
    FILE *f = fopen(m->path, "r");
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        int i, go;
        size_t len;
        if (sf_covline_get(line, &i, &go, &len, NULL, 0) < 0 || i >= m->n ||
            len != m->mods[i].len || go != m->mods[i].go)
            continue;
        m->n_hit[i] += (size_t)sf_covline_get(line, &i, &go, &len, m->hit[i], len);
    }
    free(line);
    fclose(f);
}

sf_covmap *sf_covmap_new(void)
{
    const char *p = getenv("SEAM_STATUS_FILE");
    if (!p || !*p)
        return NULL;
    sf_covmap *m = sf_calloc(sizeof *m);
    if (!m)
        return NULL;
    if (__start___sancov_cntrs && __stop___sancov_cntrs > __start___sancov_cntrs) {
        sf__covmod *n = &m->mods[m->n++];
        n->start = __start___sancov_cntrs;
        n->len = (size_t)(__stop___sancov_cntrs - __start___sancov_cntrs);
        n->pcs = __start___sancov_pcs;
    }
    if (sf__go_module(&m->mods[m->n]) == 0)
        m->n++;
    m->path = sf_calloc(strlen(p) + 1);
    if (!m->path || m->n == 0) {
        sf_covmap_free(m);
        return NULL;
    }
    memcpy(m->path, p, strlen(p) + 1);
    for (int i = 0; i < m->n; i++) {
        m->hit[i] = sf_calloc(m->mods[i].len);
        if (!m->hit[i]) {
            sf_covmap_free(m);
            return NULL;
        }
    }
    sf__read_back(m);
    sf__write_pcs(m);
    return m;
}

void sf_covmap_free(sf_covmap *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++)
        sf_free(m->hit[i]);
    sf_free(m->path);
    sf_free(m);
}

void sf_covmap_flush(sf_covmap *m)
{
    if (!m)
        return;
    sf_buf b = {0};
    sf_buf_printf(&b, "seamfuzz-covmap 1\n");
    for (int i = 0; i < m->n; i++)
        sf_covline_put(&b, i, m->mods[i].go, m->hit[i], m->mods[i].len, m->n_hit[i]);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", m->path);
    FILE *f = b.oom ? NULL : fopen(tmp, "w");
    if (f) {
        int bad = fwrite(b.p, 1, b.len, f) != b.len;
        if (fclose(f) == 0 && !bad)
            rename(tmp, m->path);
        else
            remove(tmp);
    }
    sf_buf_free(&b);
    m->dirty = 0;
}

void sf_covmap_input(sf_covmap *m, uint64_t now_ns)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        const uint8_t *c = m->mods[i].start;
        uint8_t *h = m->hit[i];
        for (size_t k = 0; k < m->mods[i].len; k++)
            if (c[k] && !h[k]) {
                h[k] = 1;
                m->n_hit[i]++;
                m->dirty = 1;
            }
    }
    if (m->dirty && now_ns - m->last_ns >= 1000000000ull) {
        m->last_ns = now_ns;
        sf_covmap_flush(m);
    }
}
