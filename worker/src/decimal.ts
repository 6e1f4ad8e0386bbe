import { createRequire } from 'node:module';

/**
 * Decimal digits of a BigInt. Through GMP's mpz_get_str (worker/native/decimal.c) when the addon is
 * built, else V8's `BigInt.prototype.toString`: the same digits, but V8's conversion of F(10^6)
 * takes 5-6x as long (about 65 ms against 11 ms here) and is most of a huge index's time.
 */
interface Addon {
  toDecimal(value: bigint): string;
}

/** Below 2^256 (77 digits) V8 converts faster than a call into the addon (measured: 0.06 us against 0.2 us at 2^64). */
const ADDON_FROM = 1n << 256n;

const ADDON_PATH = '../build/Release/decimal.node';

function loadAddon(): { addon: Addon } | { missing: string } {
  try {
    return { addon: createRequire(import.meta.url)(ADDON_PATH) as Addon };
  } catch (err) {
    return { missing: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

const loaded = loadAddon();

/** How this process converts, for the worker's start-up line: GMP, or V8 and why not GMP. */
export const decimalConversion =
  'addon' in loaded
    ? { by: 'gmp' as const }
    : {
        by: 'v8' as const,
        why: `worker/build/Release/decimal.node not loaded (${loaded.missing}); npm rebuild -w worker builds it`,
      };

/** GMP's conversion when it is built (or undefined): for the tests and the bench, which compare both. */
export const gmpDecimal: ((value: bigint) => string) | undefined =
  'addon' in loaded ? loaded.addon.toDecimal : undefined;

export function toDecimal(value: bigint): string {
  return gmpDecimal !== undefined && value >= ADDON_FROM ? gmpDecimal(value) : value.toString();
}
