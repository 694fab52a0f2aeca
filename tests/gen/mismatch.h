/* mismatch.h - a header that disagrees with good_minimal.seam (test input). */
typedef struct R R;
int r_new(void);
void r_free(R *r);
