import "./Logo.css";

/** The Clawtower mark: a watchtower in a rounded accent tile. */
export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg className="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect className="logo-tile" width="32" height="32" rx="8" />
      <g className="logo-glyph" fill="none" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M10 10l2 2h8l2-2" />
        <path d="M12 12l-1.5 12M20 12l1.5 12" />
        <path d="M11.4 17h9.2" />
        <path d="M9 24h14" />
        <path d="M16 6.5v1.5" />
      </g>
    </svg>
  );
}
