/* 10_ddpm — placeholder driver (being written). */
#include "ddpm.h"
#include "denoiser.h"
#include <stdio.h>
int main(void) { printf("Chapter 10: DDPM (driver being written)\n"); return 0; }
