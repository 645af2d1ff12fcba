/* status.c - the names of finding statuses, as they appear in every report
 * (include/kensa/finding.h, docs/findings.md). */
#include "kensa/finding.h"

const char *ks_status_name(ks_status s)
{
    switch (s) {
    case KS_STATUS_PASS: return "PASS";
    case KS_STATUS_FAIL: return "FAIL";
    case KS_STATUS_ERROR: return "ERROR";
    case KS_STATUS_NA: return "N/A";
    case KS_STATUS_WAIVED: return "WAIVED";
    }
    /* Out of range is a caller bug; a visible name beats a NULL deref in a report. */
    return "UNKNOWN";
}
