/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MPI driver of a partitioned run (src/cli/mpi.c, built only when CMake finds MPI).
 */
#ifndef CC_CLI_MPI_H
#define CC_CLI_MPI_H

#include "carecircle/pipeline.h"

/* 1 when this process was started by mpirun / an MPI launcher (OMPI_COMM_WORLD_SIZE or
   PMI_SIZE in the environment). */
int cc_cli_mpi_launched(void);

/* `mpirun -n N carecircle run S.yaml --partition SPEC`: rank 0 deals parts largest first to
   the ranks as they free up, every rank computes its parts and writes their files, rank 0
   merges when all are done and writes the outputs. A failed part is named by rank 0 (the
   run's error), the other parts' files stay. *is_root: this is rank 0 (the one that reports);
   *out_dir_used as cc_pipeline_run. */
cc_status cc_cli_mpi_run(cc_ctx *ctx, const cc_scenario *sc, const cc_run_options *opt,
                         int *is_root, char **out_dir_used);

#endif
