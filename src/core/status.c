/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Status codes: names and default messages from the X-macro table in core.h.
 */
#include "carecircle/core.h"

static const char *const names[] = {
#define CC__NAME(e, n, m) n,
    CC_STATUS_TABLE(CC__NAME)
#undef CC__NAME
};

static const char *const messages[] = {
#define CC__MSG(e, n, m) m,
    CC_STATUS_TABLE(CC__MSG)
#undef CC__MSG
};

const char *cc_status_name(cc_status st)
{
    if ((unsigned)st >= CC_STATUS_COUNT) return "unknown";
    return names[st];
}

const char *cc_status_message(cc_status st)
{
    if ((unsigned)st >= CC_STATUS_COUNT) return "unknown status";
    return messages[st];
}
