// System codecs used by the data layer: zlib (gzip IDX files), libpng (image grids, image folders),
// libjpeg-turbo (CelebA, image folders).
#include <zlib.h>
#include <png.h>
#include <turbojpeg.h>
