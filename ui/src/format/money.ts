const usd2 = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const usd4 = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 4,
  maximumFractionDigits: 4,
});

/**
 * Formats a USD amount: 2 decimals ("$12.30"), or 4 when the amount is non-zero but under a
 * cent ("$0.0042") so small spend does not read as "$0.00". Below $0.0001 it shows "<$0.0001";
 * null (a non-finite amount) shows "—".
 */
export function formatUsd(value: number | null): string {
  // Rust sends a non-finite f64 as null; the engine never produces one, but never show "NaN".
  if (value === null || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 0.01) return usd2.format(value);
  if (abs < 0.00005) return value < 0 ? "-<$0.0001" : "<$0.0001";
  return usd4.format(value);
}

/**
 * Formats what one model call or turn cost: 4 decimals under a dollar ("$0.0123"), where cents
 * would hide the differences between calls; otherwise as {@link formatUsd}.
 */
export function formatCallUsd(value: number | null): string {
  if (value === null || !Number.isFinite(value) || Math.abs(value) >= 1) return formatUsd(value);
  if (value !== 0 && Math.abs(value) < 0.00005) return formatUsd(value);
  return usd4.format(value);
}
