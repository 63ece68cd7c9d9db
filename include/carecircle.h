/*
 * carecircle: the whole public API in one include. `#include <carecircle.h>`, then compile
 * and link with `pkg-config --cflags --libs --static carecircle` (docs/architecture.md,
 * "Using the library"). The module headers below can also be included one by one; they are
 * listed from the lowest module to the highest (core < config, crs, io, geom, net < route <
 * analysis < siting < study < report < pipeline).
 */
#ifndef CARECIRCLE_H
#define CARECIRCLE_H

#include "carecircle/core.h"

#include "carecircle/config.h"
#include "carecircle/crs.h"
#include "carecircle/geom.h"
#include "carecircle/io.h"
#include "carecircle/net.h"
#include "carecircle/targets.h"

#include "carecircle/route.h"

#include "carecircle/analysis.h"

#include "carecircle/siting.h"

#include "carecircle/study.h"

#include "carecircle/report.h"

#include "carecircle/pipeline.h"

#endif
