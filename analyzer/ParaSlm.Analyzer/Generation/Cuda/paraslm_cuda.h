/* ParaSlm: what generated CUDA kernels use. With a CUDA toolkit (nvcc, or clang with the CUDA headers) this is the
   CUDA runtime. With -DPARASLM_CUDA_NO_RUNTIME (clang -x cuda --cuda-device-only -nocudainc -nocudalib, where no toolkit
   is installed) it declares the few builtins, device libm functions and runtime calls the generated code uses, so the
   device code compiles to PTX and the host launcher is type-checked. */
#pragma once
#ifndef PARASLM_CUDA_NO_RUNTIME
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#define PARASLM_TID threadIdx.x
#define PARASLM_BID blockIdx.x
#define PARASLM_BDIM blockDim.x
#define PARASLM_GDIM gridDim.x
#else
#include <stddef.h>
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define PARASLM_TID __nvvm_read_ptx_sreg_tid_x()
#define PARASLM_BID __nvvm_read_ptx_sreg_ctaid_x()
#define PARASLM_BDIM __nvvm_read_ptx_sreg_ntid_x()
#define PARASLM_GDIM __nvvm_read_ptx_sreg_nctaid_x()
extern "C" {
__device__ double sqrt(double); __device__ float sqrtf(float); __device__ double floor(double); __device__ double fabs(double);
__device__ double exp(double); __device__ double log(double); __device__ double sin(double); __device__ double cos(double);
__device__ double pow(double, double); __device__ double fmax(double, double); __device__ double fmin(double, double);
__device__ float expf(float); __device__ float fabsf(float); __device__ float fmaxf(float, float); __device__ float fminf(float, float);
__device__ double tan(double); __device__ double tanh(double); __device__ double atan(double); __device__ double atan2(double, double);
__device__ double asin(double); __device__ double acos(double); __device__ double sinh(double); __device__ double cosh(double);
__device__ double exp2(double); __device__ double expm1(double); __device__ double log2(double); __device__ double log10(double);
__device__ double log1p(double); __device__ double cbrt(double); __device__ double hypot(double, double); __device__ double round(double);
__device__ double ceil(double); __device__ double trunc(double); __device__ double fmod(double, double); __device__ double fma(double, double, double);
__device__ float sinf(float); __device__ float cosf(float); __device__ float logf(float); __device__ float powf(float, float);
__device__ float tanhf(float); __device__ float floorf(float); __device__ float ceilf(float); __device__ float roundf(float);
}
/* The host side is parsed, not compiled, in a device-only build: declarations of the runtime calls it makes. */
typedef int cudaError_t;
enum { cudaSuccess = 0, cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2 };
struct dim3 { unsigned x, y, z; __host__ __device__ dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {} };
extern "C" {
__host__ cudaError_t cudaGetDeviceCount(int *);
__host__ cudaError_t cudaMalloc(void **, size_t);
__host__ cudaError_t cudaMemcpy(void *, const void *, size_t, int);
__host__ cudaError_t cudaMemset(void *, int, size_t);
__host__ cudaError_t cudaFree(void *);
__host__ cudaError_t cudaGetLastError(void);
__host__ cudaError_t cudaDeviceSynchronize(void);
__host__ unsigned __cudaPushCallConfiguration(dim3, dim3, size_t = 0, void * = 0);
__host__ cudaError_t cudaConfigureCall(dim3, dim3, size_t = 0, void * = 0);
__host__ int fprintf(struct _IO_FILE *, const char *, ...);
__host__ void abort(void);
__host__ void *malloc(size_t);
__host__ void free(void *);
extern struct _IO_FILE *stderr;
}
#endif
