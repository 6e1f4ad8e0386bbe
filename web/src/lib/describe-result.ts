import { formatInteger } from './format';

interface Result {
  index: number;
  status: string;
  digits: number | null;
  preview: string | null;
}

/** What a screen reader says about a finished result: short values whole, long ones by size. */
export function describeResult({ index, status, digits, preview }: Result): string {
  const name = `F(${formatInteger(index)})`;
  if (status === 'FAILED') return `${name} failed.`;
  if (status === 'PENDING') return `Calculating ${name}.`;
  if (preview && !preview.includes('…')) return `${name} = ${preview}.`;
  return `${name} is ready: ${formatInteger(digits ?? 0)} digits.`;
}
