const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Formats a count with thousands separators ("12,345"). */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? integer.format(value) : "—";
}

/** "1 model call" / "3 model calls". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
