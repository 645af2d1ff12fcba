/* watchdog.h - bound a test's run time with alarm(2) rather than Criterion's
 * .timeout option: Criterion 2.4's timer now and then leaks 48 bytes inside
 * libcriterion, which the suite's leak check then reports as a failure. SIGALRM
 * ends the test process, which Criterion counts as a crash, so a hang still
 * fails the suite. Use as `.init = ks_watchdog_30` (suite or test). */
#ifndef KENSA_TEST_WATCHDOG_H
#define KENSA_TEST_WATCHDOG_H

#include <unistd.h>

static inline void ks_watchdog_30(void) { alarm(30); }
static inline void ks_watchdog_120(void) { alarm(120); }
static inline void ks_watchdog_180(void) { alarm(180); }
static inline void ks_watchdog_600(void) { alarm(600); }

#endif
