/* Found through #include "local.h" beside kernels.c: the rewritten copy must still find it. */
#define LOCAL_OFFSET 1
