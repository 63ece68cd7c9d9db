/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Synthetic city for benchmarks: a perturbed street grid (40 m blocks by default) with a river
 * and a rail line as barriers crossed only at a few bridges, arterials every tenth street,
 * some footways, and random facilities and demand points. Fixed seed, in memory.
 */
#ifndef CC_BENCH_CITY_H
#define CC_BENCH_CITY_H

#include "carecircle/net.h"

typedef struct bench_city {
    cc_net_input in;
    /* storage behind `in` */
    size_t *line_coord;
    double *x, *y;
    const char **highway;
    size_t n_pts, n_fac;
    double *px, *py, *fx, *fy;
} bench_city;

/* side x side junctions, spacing_m apart. plain = 1: exact grid, no barriers, no jitter (the
 * PEERS.md 100k setup). Returns 0 on success. */
int bench_city_make(bench_city *c, unsigned side, double spacing_m, int plain, size_t n_fac,
                    size_t n_pts, unsigned seed);
void bench_city_free(bench_city *c);

#endif
