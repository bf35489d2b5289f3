/** The largest value of a Rust `u32` (the engine's counts, minutes and seconds). */
export const U32_MAX = 4_294_967_295;

/** The largest amount in USD the engine takes (budget limits, session costs). */
export const MAX_USD = 1_000_000_000;

/** A whole number typed by the user (surrounding spaces allowed) from `min` to `max`, or undefined. */
export function parseWhole(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : undefined;
}

/**
 * An amount in USD typed by the user ("20", "7.50", "$1,000.5"), above 0 and at most `max`, or
 * undefined.
 */
export function parseUsd(text: string, max: number): number | undefined {
  const cleaned = text.trim().replace(/^\$/, "").replace(/,/g, "");
  if (!/^\d*\.?\d+$|^\d+\.$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return value > 0 && value <= max ? value : undefined;
}
