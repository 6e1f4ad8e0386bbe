import { formatInteger } from '../../lib/format';

export type ParsedIndex = { ok: true; index: number } | { ok: false; message: string };

/**
 * Refuses before sending what the server would refuse: anything but an integer from 0 to
 * `maxIndex`. `maxIndex` comes from the server (Query.limits); while it is unknown the upper bound
 * is left to the server, which checks it anyway.
 */
export function parseIndex(text: string, maxIndex: number | undefined): ParsedIndex {
  const trimmed = text.trim();
  const range = maxIndex === undefined ? '' : ` from 0 to ${formatInteger(maxIndex)}`;
  if (trimmed === '') return { ok: false, message: `Enter an index: a whole number${range}.` };
  if (/^-\s*\d+([.,]\d+)?$/.test(trimmed)) return { ok: false, message: 'The index must be 0 or more.' };
  if (!/^\+?\d+$/.test(trimmed)) return { ok: false, message: `The index must be a whole number${range}.` };

  const digits = trimmed.replace(/^\+?0*/, '') || '0';
  // Beyond 15 digits Number() rounds; any such number is far above every sensible limit anyway.
  const index = digits.length > 15 ? Infinity : Number(digits);
  if (maxIndex !== undefined && index > maxIndex) {
    return { ok: false, message: `The index must be at most ${formatInteger(maxIndex)}.` };
  }
  if (!Number.isSafeInteger(index)) return { ok: false, message: 'The index is too large.' };
  return { ok: true, index };
}
