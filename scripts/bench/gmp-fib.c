/*
 * GMP's F(n) and its decimal, timed: the yardstick for the worker's maths (scripts/bench/maths.ts).
 *   gmp-fib <runs> <n> <decimal file>
 * Prints one JSON line: n, digits, the medians of compute (mpz_fib_ui) and decimal (mpz_get_str)
 * in ms over <runs> runs after an untimed one; writes the decimal to <decimal file> so the bench can compare every digit.
 * Build: cc -O2 -o gmp-fib gmp-fib.c -lgmp
 */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *values, int count) {
  qsort(values, count, sizeof *values, by_value);
  return values[count / 2];
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <runs> <n> <decimal file>\n", argv[0]);
    return 2;
  }
  int runs = atoi(argv[1]);
  unsigned long n = strtoul(argv[2], NULL, 10);
  if (runs < 1) runs = 1;
  double *compute = malloc(runs * sizeof *compute), *decimal = malloc(runs * sizeof *decimal);
  char *text = NULL;
  mpz_t value;
  mpz_init(value);
  /* One untimed run first, as the worker's thread has run before: its memory is mapped already. */
  mpz_fib_ui(value, n);
  text = mpz_get_str(NULL, 10, value);
  for (int run = 0; run < runs; run++) {
    free(text);
    double t0 = now_ms();
    mpz_fib_ui(value, n);
    double t1 = now_ms();
    text = mpz_get_str(NULL, 10, value);
    double t2 = now_ms();
    compute[run] = t1 - t0;
    decimal[run] = t2 - t1;
  }
  FILE *out = fopen(argv[3], "w");
  if (!out || fputs(text, out) < 0 || fclose(out) != 0) {
    perror(argv[3]);
    return 1;
  }
  printf("{\"n\":%lu,\"digits\":%zu,\"computeMs\":%.6f,\"decimalMs\":%.6f,\"runs\":%d}\n", n, strlen(text),
         median(compute, runs), median(decimal, runs), runs);
  free(text);
  mpz_clear(value);
  free(compute);
  free(decimal);
  return 0;
}
