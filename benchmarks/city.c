/* SPDX-License-Identifier: Apache-2.0 */
/* Synthetic city generator (see city.h). */
#include "city.h"

#include <stdlib.h>
#include <string.h>

static uint64_t state;
static double urand(void)
{
    /* xorshift64* */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

void bench_city_free(bench_city *c)
{
    free(c->line_coord);
    free(c->x);
    free(c->y);
    free((void *)c->highway);
    free(c->px);
    free(c->py);
    free(c->fx);
    free(c->fy);
    memset(c, 0, sizeof *c);
}

int bench_city_make(bench_city *c, unsigned side, double sp, int plain, size_t n_fac, size_t n_pts,
                    unsigned seed)
{
    memset(c, 0, sizeof *c);
    state = 0x9E3779B97F4A7C15ULL ^ seed;
    size_t n = side;
    /* junction coordinates */
    double *jx = malloc(n * n * sizeof *jx), *jy = malloc(n * n * sizeof *jy);
    if (!jx || !jy) return 1;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            double dx = plain ? 0 : (urand() - 0.5) * 0.25 * sp;
            double dy = plain ? 0 : (urand() - 0.5) * 0.25 * sp;
            jx[j * n + i] = (double)i * sp + dx;
            jy[j * n + i] = (double)j * sp + dy;
        }
    size_t river =
        plain ? (size_t)-1 : n * 35 / 100; /* no street crosses between rows river, river+1 */
    size_t rail = plain ? (size_t)-1 : n * 60 / 100; /* ... nor between columns rail, rail+1 */
    size_t bridge_every = n / 6 + 1;
    /* Every grid edge becomes one line segment inside a street polyline: a row street runs
     * along j until the rail cuts it; a column street along i until the river cuts it. */
    size_t max_lines = 4 * n + 2 * n * 4, max_coords = 4 * n * n + 8 * n;
    c->line_coord = malloc((max_lines + 1) * sizeof *c->line_coord);
    c->x = malloc(max_coords * sizeof *c->x);
    c->y = malloc(max_coords * sizeof *c->y);
    c->highway = malloc(max_lines * sizeof *c->highway);
    if (!c->line_coord || !c->x || !c->y || !c->highway) return 1;
    size_t nl = 0, nv = 0;
    for (int dir = 0; dir < 2; dir++) {
        for (size_t a = 0; a < n; a++) {
            const char *hw = a % 10 == 5 ? "primary" : (a % 7 == 3 ? "footway" : "residential");
            c->line_coord[nl] = nv;
            c->highway[nl] = hw;
            for (size_t b = 0; b < n; b++) {
                size_t v = dir == 0 ? a * n + b : b * n + a; /* row a / column a */
                if (b > 0) {
                    int cut = 0;
                    /* row streets (dir 0) cross the rail between columns rail, rail+1 */
                    if (dir == 0 && b - 1 == rail && a % bridge_every != 1) cut = 1;
                    if (dir == 1 && b - 1 == river && a % bridge_every != 2) cut = 1;
                    if (cut) {
                        if (nv - c->line_coord[nl] >= 2) {
                            nl++;
                            c->highway[nl] = hw;
                        } else {
                            nv = c->line_coord[nl]; /* drop a one-vertex stub */
                        }
                        c->line_coord[nl] = nv;
                    } else if (!plain && (a + b) % 3 == 0) {
                        /* a bend in the middle of the block: a chain vertex, not a junction */
                        size_t u = dir == 0 ? a * n + b - 1 : (b - 1) * n + a;
                        c->x[nv] = (jx[u] + jx[v]) / 2 + (urand() - 0.5) * 4;
                        c->y[nv] = (jy[u] + jy[v]) / 2 + (urand() - 0.5) * 4;
                        nv++;
                    }
                }
                c->x[nv] = jx[v];
                c->y[nv] = jy[v];
                nv++;
            }
            if (nv - c->line_coord[nl] >= 2)
                nl++;
            else
                nv = c->line_coord[nl];
            c->line_coord[nl] = nv;
        }
    }
    c->in.n_lines = nl;
    c->in.line_coord = c->line_coord;
    c->in.x = c->x;
    c->in.y = c->y;
    c->in.highway = c->highway;
    double W = (double)(n - 1) * sp;
    c->n_fac = n_fac;
    c->n_pts = n_pts;
    c->fx = malloc((n_fac + 1) * sizeof *c->fx);
    c->fy = malloc((n_fac + 1) * sizeof *c->fy);
    c->px = malloc((n_pts + 1) * sizeof *c->px);
    c->py = malloc((n_pts + 1) * sizeof *c->py);
    if (!c->fx || !c->fy || !c->px || !c->py) return 1;
    for (size_t i = 0; i < n_fac; i++) {
        c->fx[i] = urand() * W;
        c->fy[i] = urand() * W;
    }
    for (size_t i = 0; i < n_pts; i++) {
        c->px[i] = urand() * W;
        c->py[i] = urand() * W;
    }
    free(jx);
    free(jy);
    return 0;
}
