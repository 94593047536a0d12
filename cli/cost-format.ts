/** Money in cost views: exact to the micro-dollar below a cent, so small model calls do not all read $0.0005. */
export function formatCost(microUsd: number | null | undefined): string {
  if (microUsd === null || microUsd === undefined) return '-';
  if (microUsd === 0) return '$0';
  const dollars = microUsd / 1_000_000;
  return Math.abs(microUsd) < 10_000
    ? `$${dollars.toFixed(6)}`
    : `$${dollars.toFixed(4).replace(/0{1,2}$/, '')}`;
}
