/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `estate_rules:` of a targets file (targets_estates.c), read by the targets parser
 * (targets.c). Internal to the config module.
 */
#ifndef CC_CONFIG_TARGETS_ESTATES_H
#define CC_CONFIG_TARGETS_ESTATES_H

#include "carecircle/targets.h"
#include "ytree.h"

/* Check the estate_rules list v (NULL when absent); messages at path:line:col. */
cc_status cc__targets_check_estates(cc_ctx *ctx, const cc__yorigin *org, const cc__ynode *v);

#endif
