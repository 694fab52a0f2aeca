/* fuzz_spec.c - libFuzzer harness for the .seam parser, checker and generator:
 * any input must parse (or fail) without a crash, leak or hang, and every
 * spec that checks clean must render and produce seeds that parse back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_err.h"
#include "sf_gen_int.h"
#include "sf_seam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sf_seam *s = NULL;
    int rc = sf_seam_parse("fuzz.seam", (const char *)data, size, &s);
    if (s == NULL) {
        if (rc != SF_ENOMEM)
            abort(); /* only OOM may leave no spec */
        return 0;
    }
    char line[512];
    sf_seam_first_diag(s, line, sizeof(line));
    if ((sf_seam_errors(s) != 0) != (line[0] != '\0') && sf_seam_errors(s) < SF_SEAM_MAX_ERRORS)
        abort(); /* errors and diagnostics must agree */
    if (sf_seam_spec(s) != NULL) {
        sf_buf h = {0}, w = {0}, d = {0}, t = {0};
        sf__gen_render(s, "fuzz.seam", &h, &w, &d);
        sf__seed *seeds = NULL;
        size_t n = 0;
        char err[512];
        int grc = sf__seeds_build(s, NULL, 1, &t, &seeds, &n, err, sizeof(err));
        /* A seed the generator wrote but sf_prog cannot read is a bug. */
        if (grc != 0 && grc != SF_ENOMEM) {
            fprintf(stderr, "fuzz_spec: %s\n", err);
            abort();
        }
        sf__seeds_free(seeds, n);
        sf_buf_free(&h);
        sf_buf_free(&w);
        sf_buf_free(&d);
        sf_buf_free(&t);
    }
    sf_seam_free(s);
    return 0;
}
