// glibc malloc tuning (mallopt, malloc_trim), which Swift's Glibc module does not export.
#pragma once
#include <malloc.h>
