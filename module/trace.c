// SPDX-License-Identifier: GPL-2.0
/* The mmlab:* tracepoints: defined here, fired by the commands. */
#define CREATE_TRACE_POINTS
#include "mmlab_trace.h"
