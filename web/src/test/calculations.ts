/** A Calculation as the server sends it for the list and events (CalculationItem's fields). */
export function calculationData(
  index: number,
  status: 'PENDING' | 'DONE' | 'FAILED',
  extra: Partial<{ digits: number; preview: string; computeMs: number; updatedAt: string; error: string }> = {},
) {
  return {
    __typename: 'Calculation' as const,
    index,
    status,
    digits: extra.digits ?? (extra.preview && !extra.preview.includes('…') ? extra.preview.length : null),
    preview: extra.preview ?? null,
    computeMs: extra.computeMs ?? null,
    updatedAt: extra.updatedAt ?? new Date().toISOString(),
    error: extra.error ?? null,
  };
}
