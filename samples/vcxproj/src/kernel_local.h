/* Included as "kernel_local.h" from kernel.c: it must still be found when the rewritten copy is compiled. */
#define KERNEL_OFFSET 1
