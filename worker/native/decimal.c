/*
 * The decimal digits of a BigInt through GMP's mpz_get_str: 5-6x faster than V8's
 * BigInt.prototype.toString for F(10^6) (208,988 digits). worker/src/decimal.ts loads it when it is
 * built (worker/native/build.mjs, run by `npm ci`) and uses V8's toString otherwise.
 *   toDecimal(value: bigint): string
 */
#include <gmp.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static napi_value to_decimal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return fail(env, "toDecimal: could not read its arguments");
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "toDecimal(value): a bigint is required");
    return NULL;
  }
  /* The first call only counts the 64-bit words (sign and words both NULL). */
  size_t count = 0;
  if (napi_get_value_bigint_words(env, argv[0], NULL, &count, NULL) != napi_ok) {
    napi_throw_type_error(env, NULL, "toDecimal(value): value must be a bigint");
    return NULL;
  }
  uint64_t *words = malloc((count > 0 ? count : 1) * sizeof(uint64_t));
  if (words == NULL) return fail(env, "toDecimal: out of memory");
  int negative = 0;
  if (napi_get_value_bigint_words(env, argv[0], &negative, &count, words) != napi_ok) {
    free(words);
    return fail(env, "toDecimal: could not read the bigint");
  }

  mpz_t z;
  mpz_init(z);
  /* Least significant word first, native byte order within a word, no nails. */
  mpz_import(z, count, -1, sizeof(uint64_t), 0, 0, words);
  free(words);
  if (negative) mpz_neg(z, z);

  /* mpz_sizeinbase may count one digit too many; +2 for the sign and the terminating NUL. */
  char *digits = malloc(mpz_sizeinbase(z, 10) + 2);
  if (digits == NULL) {
    mpz_clear(z);
    return fail(env, "toDecimal: out of memory");
  }
  mpz_get_str(digits, 10, z);
  mpz_clear(z);

  napi_value result;
  napi_status status = napi_create_string_latin1(env, digits, strlen(digits), &result);
  free(digits);
  if (status != napi_ok) return fail(env, "toDecimal: could not make the string");
  return result;
}

/* Context-aware: the worker loads it in its calculation thread as well as its main thread. */
NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "toDecimal", NAPI_AUTO_LENGTH, to_decimal, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "toDecimal", fn) != napi_ok) return NULL;
  return exports;
}
