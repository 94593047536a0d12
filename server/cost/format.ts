/** Dollar amounts in server messages (the CLI formats its own output). */
export function formatMicroUsd(micro: number): string {
  const dollars = micro / 1_000_000;
  if (micro === 0) return '$0';
  return Math.abs(dollars) < 0.01 ? `$${dollars.toFixed(6)}` : `$${dollars.toFixed(2)}`;
}
