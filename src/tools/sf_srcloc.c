/* sf_srcloc.c - a boundary function's definition in the user's source
 * (sf_srcloc.h). */
#define _POSIX_C_SOURCE 200809L
#include "sf_srcloc.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sf_alloc.h"
#include "sf_tool.h"

#define MAX_DEPTH 4
#define MAX_NAMES 4096

/* Is t (n bytes) in the ','-separated list. */
static int in_list(const char *list, const char *t, size_t n)
{
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t m = e ? (size_t)(e - p) : strlen(p);
        if (m == n && strncmp(p, t, n) == 0)
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* Is tag set: the binary's tags plus what every build here has. */
static int tag_set(const char *tags, const char *t, size_t n)
{
    return in_list("cgo,linux,amd64,unix,gc", t, n) || in_list(tags, t, n);
}

/* Does a Rust attribute line leave the next item out of a build with these
 * features: `#[cfg(feature = "f")]` without f, `#[cfg(not(feature = "f"))]`
 * with it.  Other conditions count as met. */
static int cfg_excludes(const char *features, const char *line)
{
    const char *f = strstr(line, "feature");
    if (strncmp(line, "#[cfg(", 6) != 0 || !f)
        return 0;
    const char *q = strchr(f, '"'), *e = q ? strchr(q + 1, '"') : NULL;
    if (!e)
        return 0;
    int on = in_list(features, q + 1, (size_t)(e - q - 1));
    return strncmp(line + 6, "not(", 4) == 0 ? on : !on;
}

/* One factor of a //go:build expression: [!]tag, parentheses ignored. */
static int factor(const char *tags, const char *s, const char *e)
{
    int neg = 0;
    while (s < e && (isspace((unsigned char)*s) || *s == '(' || *s == '!')) {
        if (*s == '!')
            neg = !neg;
        s++;
    }
    while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == ')'))
        e--;
    return tag_set(tags, s, (size_t)(e - s)) != neg;
}

/* a || b || ..., each an a && b && ... of factors. */
static int build_expr(const char *tags, const char *s)
{
    const char *end = s + strcspn(s, "\r\n");
    for (const char *t = s; t < end;) {
        const char * or = strstr(t, "||");
        const char *te = or && or < end ? or : end;
        int all = 1;
        for (const char *f = t; f < te && all;) {
            const char *and = strstr(f, "&&");
            const char *fe = and&&and < te ? and : te;
            all = factor(tags, f, fe);
            f = fe + (fe < te ? 2 : 0);
        }
        if (all)
            return 1;
        t = te + (te < end ? 2 : 0);
    }
    return 0;
}

/* Is name an identifier character boundary after a match. */
static int ident(int c)
{
    return isalnum(c) || c == '_';
}

typedef struct query {
    const char *tags, *features, *side, *name;
    sf_srcloc_what what;
} query;

/* Does the line define a struct called name: after `struct ` (C, Rust) or
 * `type ` (Go), then a non-identifier character. */
static int struct_line(const char *line, const char *kw, const char *name, size_t fl)
{
    for (const char *p = strstr(line, kw); p; p = strstr(p + 1, kw)) {
        const char *q = p + strlen(kw);
        if ((p == line || !ident((unsigned char)p[-1])) && strncmp(q, name, fl) == 0 &&
            !ident((unsigned char)q[fl]))
            return 1;
    }
    return 0;
}

/* The line of the definition in the file at path, or 0. */
static int scan_file(const char *path, const query *qy)
{
    int rs = sf_tool_ends_with(path, ".rs"), go = sf_tool_ends_with(path, ".go"),
        c = sf_tool_ends_with(path, ".c");
    if ((!rs && !go && !c) || sf_tool_ends_with(path, "_test.go"))
        return 0;
    if (qy->side && qy->side[0] &&
        !((rs && strcmp(qy->side, "rust") == 0) || (go && strcmp(qy->side, "go") == 0) ||
          (c && strcmp(qy->side, "c") == 0)))
        return 0;
    const char *tags = qy->tags, *func = qy->name;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    size_t fl = strlen(func);
    int no = 0, found = 0, header = go, cfg_off = 0;
    while (!found && fgets(line, sizeof line, f)) {
        no++;
        if (rs) { /* attributes and comments above an item */
            const char *t = line + strspn(line, " \t");
            if (strncmp(t, "#[", 2) == 0 || strncmp(t, "//", 2) == 0) {
                cfg_off |= cfg_excludes(qy->features, t);
                continue;
            }
        }
        if (header) { /* a Go file's constraint comes before its package */
            if (strncmp(line, "//go:build ", 11) == 0 && !build_expr(tags, line + 11))
                break;
            if (strncmp(line, "package ", 8) == 0)
                header = 0;
            continue;
        }
        if (qy->what == SF_SRC_STRUCT) {
            found = go ? strncmp(line, "type ", 5) == 0 && struct_line(line, "type ", func, fl) &&
                             strstr(line, " struct")
                    : rs ? struct_line(line, "struct ", func, fl) && !cfg_off
                         : strncmp(line, "struct ", 7) == 0 &&
                               struct_line(line, "struct ", func, fl) && !strchr(line, ';');
        } else if (go) {
            found = strncmp(line, "func ", 5) == 0 && strncmp(line + 5, func, fl) == 0 &&
                    line[5 + fl] == '(';
        } else if (rs) {
            for (const char *p = strstr(line, "fn "); p && !found; p = strstr(p + 1, "fn ")) {
                const char *q = p + 3;
                while (*q == ' ')
                    q++;
                found = (p == line || !ident((unsigned char)p[-1])) && strncmp(q, func, fl) == 0 &&
                        (q[fl] == '(' || q[fl] == '<') && !cfg_off;
            }
        } else if (isalpha((unsigned char)line[0]) && !strchr(line, ';')) {
            for (const char *p = strstr(line, func); p && !found; p = strstr(p + 1, func))
                found = p > line && !ident((unsigned char)p[-1]) && p[fl] == '(';
        }
        cfg_off = 0; /* an attribute applies to the next item only */
    }
    fclose(f);
    return found ? no : 0;
}

static int scan_dir(const char *dir, int depth, const query *qy, char *file, size_t n, int *line)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t k = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && k < MAX_NAMES;) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || strcmp(nm, "target") == 0 || strncmp(nm, "build", 5) == 0)
            continue;
        names = sf_xrealloc(names, (k + 1) * sizeof *names);
        names[k++] = sf_xstrdup(nm);
    }
    closedir(d);
    qsort(names, k, sizeof *names, sf_tool_cmp_str);
    int found = 0;
    /* Files of this folder first, then its subfolders. */
    for (int pass = 0; pass < 2 && !found; pass++)
        for (size_t i = 0; i < k && !found; i++) {
            char path[4096];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            if (stat(path, &st) != 0)
                continue;
            if (pass == 0 && S_ISREG(st.st_mode) && (*line = scan_file(path, qy)) > 0) {
                snprintf(file, n, "%s", path);
                found = 1;
            } else if (pass == 1 && S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
                found = scan_dir(path, depth + 1, qy, file, n, line);
            }
        }
    for (size_t i = 0; i < k; i++)
        sf_free(names[i]);
    sf_free(names);
    return found;
}

int sf_srcloc_find(const char *dirs, const char *tags, const char *features, const char *side,
                   sf_srcloc_what what, const char *name, char *file, size_t n, int *line)
{
    if (!dirs || !name || !name[0])
        return 0;
    query qy = {.tags = tags, .features = features, .side = side, .name = name, .what = what};
    char list[4096];
    snprintf(list, sizeof list, "%s", dirs);
    char *save = NULL;
    for (char *d = strtok_r(list, ":", &save); d; d = strtok_r(NULL, ":", &save))
        if (scan_dir(d, 0, &qy, file, n, line))
            return 1;
    return 0;
}
