/* OpenBLAS's CBLAS interface (Debian: libopenblas-dev, include path from pkg-config). */
#include <cblas.h>
