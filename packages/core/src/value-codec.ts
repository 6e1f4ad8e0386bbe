import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How a value is kept in Redis: its decimal digits, deflated. Digits take about 0.48 of their size
 * that way (F(10^6): 208,988 digits in about 100 kB; deflate level 1 takes 3 ms, inflate 1 ms),
 * so the value cache holds twice as many. Exact: inflating gives back every digit.
 */
export function encodeValue(digits: string): Buffer {
  return deflateRawSync(Buffer.from(digits, 'latin1'), { level: 1 });
}

export function decodeValue(stored: Buffer): string {
  return inflateRawSync(stored).toString('latin1');
}
