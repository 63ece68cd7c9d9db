/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MPI driver (docs/partition.md): the only file that includes <mpi.h>, compiled only when
 * CMake finds MPI. Every rank loads the study and plans the parts (cc_part_run_open); rank 0
 * only schedules when there are other ranks: it sends each worker a part index (largest parts
 * first), and the next one each time a worker reports a part done, then -1; at the end it
 * merges (cc_part_run_finish). A worker's failure comes back as the part's index, a status and
 * the message, and rank 0 names the part.
 */
#include "cli_mpi.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_WORK = 1, TAG_DONE = 2, TAG_MSG = 3, TAG_END = 4, MSG_LEN = 1024 };

int cc_cli_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMI_SIZE") != NULL;
}

/* The parts in scheduling order: most owned points first, ties to the lower part. */
static long *part_order(cc_ctx *ctx, const cc_part_run *r, size_t n)
{
    long *order = cc_malloc_array(ctx, n ? n : 1, sizeof *order);
    for (size_t k = 0; order && k < n; k++)
        order[cc_part_run_job(r, k, n) - 1] = (long)k;
    return order;
}

/* A worker: parts until rank 0 sends -1; each part's status (and message) back. */
static void worker(cc_ctx *ctx, cc_part_run *r)
{
    for (;;) {
        long k = -1;
        MPI_Recv(&k, 1, MPI_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (k < 0) return;
        cc_status rc = cc_part_run_part(ctx, r, (size_t)k);
        long res[2] = {k, (long)rc};
        MPI_Send(res, 2, MPI_LONG, 0, TAG_DONE, MPI_COMM_WORLD);
        if (rc) {
            char msg[MSG_LEN];
            snprintf(msg, sizeof msg, "%s", cc_ctx_message(ctx));
            MPI_Send(msg, MSG_LEN, MPI_CHAR, 0, TAG_MSG, MPI_COMM_WORLD);
        }
    }
}

/* Until a message with this tag comes (*s names its source): a probe every 2 ms, so that a
   waiting rank does not spin on a core the others need (a blocking receive polls in Open MPI). */
static void wait_for(int tag, MPI_Status *s)
{
    for (;;) {
        int flag = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, s);
        if (flag) return;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
}

/* Rank 0 with workers: deal the parts, collect the results; the first failure becomes the
   run's error, later ones warnings. */
static cc_status schedule(cc_ctx *ctx, const cc_part_run *r, int size)
{
    size_t n = cc_part_run_count(r), next = 0, n_bad = 0;
    long *order = part_order(ctx, r, n);
    if (!order) return CC_ERR_NOMEM; /* the workers wait for work: MPI_Abort in the caller */
    int active = 0;
    for (int w = 1; w < size; w++) {
        long k = next < n ? order[next++] : -1;
        MPI_Send(&k, 1, MPI_LONG, w, TAG_WORK, MPI_COMM_WORLD);
        active += k >= 0;
    }
    cc_status first = CC_OK;
    while (active > 0) {
        long res[2];
        MPI_Status s;
        wait_for(TAG_DONE, &s);
        MPI_Recv(res, 2, MPI_LONG, s.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD, &s);
        if (res[1] != 0) {
            char msg[MSG_LEN];
            MPI_Recv(msg, MSG_LEN, MPI_CHAR, s.MPI_SOURCE, TAG_MSG, MPI_COMM_WORLD, &s);
            msg[MSG_LEN - 1] = 0;
            if (!n_bad++)
                first = cc_error(ctx, (cc_status)res[1], "%s (rank %d)", msg, s.MPI_SOURCE);
            else
                cc_log(ctx, CC_LOG_WARN, "%s (rank %d)", msg, s.MPI_SOURCE);
        }
        long k = next < n ? order[next++] : -1;
        MPI_Send(&k, 1, MPI_LONG, s.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
        active -= k < 0;
    }
    cc_free(order);
    return first;
}

/* Every rank opened the run (or says it could not): 1 when all did. */
static int all_opened(cc_status rc)
{
    int bad = rc != CC_OK, any = 0;
    MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return !any;
}

cc_status cc_cli_mpi_run(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                         int *is_root, char **out_dir_used)
{
    int rank = 0, size = 1;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *is_root = rank == 0;
    cc_part_run *r = NULL;
    cc_status rc = cc_part_run_open(ctx, sc, opt, &r);
    int opened = all_opened(rc);
    if (!opened) {
        /* each rank that failed says why; the others stop quietly */
        if (!rc) *is_root = 0;
    } else if (rank != 0) {
        /* parts, then free the study and wait (without spinning) while rank 0 merges */
        worker(ctx, r);
        cc_part_run_close(r);
        r = NULL;
        MPI_Status s;
        int end = 0;
        wait_for(TAG_END, &s);
        MPI_Recv(&end, 1, MPI_INT, 0, TAG_END, MPI_COMM_WORLD, &s);
    } else if (size > 1) {
        rc = schedule(ctx, r, size);
        if (rc == CC_ERR_NOMEM) MPI_Abort(MPI_COMM_WORLD, 1);
    } else {
        for (size_t k = 0; !rc && k < cc_part_run_count(r); k++)
            rc = cc_part_run_part(ctx, r, k);
    }
    if (!rc && rank == 0) rc = cc_part_run_finish(ctx, r);
    if (!rc && rank == 0 && out_dir_used) *out_dir_used = cc_strdup(ctx, cc_part_run_dir(r));
    for (int w = 1; opened && rank == 0 && w < size; w++) {
        int end = 1;
        MPI_Send(&end, 1, MPI_INT, w, TAG_END, MPI_COMM_WORLD);
    }
    cc_part_run_close(r);
    MPI_Finalize();
    return rc;
}
