/* An older layout of the same name, later on the include path: rows one element apart, columns folded. */
#define ROW_STRIDE 1
#define COL_STRIDE 0
