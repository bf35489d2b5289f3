// Stroke icons drawn on a 24×24 grid with `currentColor`, so they follow the text colour.
const PATHS = {
  overview: ["M4 4h7v7H4z", "M13 4h7v4h-7z", "M13 10h7v10h-7z", "M4 13h7v7H4z"],
  sessions: ["M4 6h16", "M4 12h10", "M4 18h13", "M18 10l3 2-3 2"],
  usage: ["M4 20V10", "M10 20V4", "M16 20v-7", "M22 20H2"],
  budgets: ["M4 16a8 8 0 1 1 16 0", "M12 16l4-5", "M3 20h18"],
  router: ["M6 4v10a4 4 0 0 0 4 4h8", "M6 4l-2 2", "M6 4l2 2", "M15 15l3 3-3 3", "M18 6h-5"],
  agents: [
    "M5 9a3 3 0 0 1 3-3h8a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3H8a3 3 0 0 1-3-3z",
    "M12 6V3",
    "M9.5 12.5v.5",
    "M14.5 12.5v.5",
  ],
  crons: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M12 7v5l3 2"],
  logs: ["M4 5h16v14H4z", "M8 10l2 2-2 2", "M13 14h3"],
  health: ["M3 12h4l2-5 4 10 2-5h6"],
  settings: [
    "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
    "M19 12a7 7 0 0 0-.1-1.2l2-1.6-2-3.4-2.4.9a7 7 0 0 0-2-1.2L14 3h-4l-.5 2.5a7 7 0 0 0-2 1.2l-2.4-.9-2 3.4 2 1.6a7 7 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-.9a7 7 0 0 0 2 1.2L10 21h4l.5-2.5a7 7 0 0 0 2-1.2l2.4.9 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z",
  ],
  alert: ["M12 3l10 18H2z", "M12 10v4", "M12 17.5v.5"],
  chevronDown: ["M6 9l6 6 6-6"],
  chevronUp: ["M6 15l6-6 6 6"],
  download: ["M12 4v11", "M7 10l5 5 5-5", "M4 20h16"],
  info: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M12 11v5", "M12 7.5v.5"],
  check: ["M5 12.5l4.5 4.5L19 7.5"],
  refresh: ["M20 11a8 8 0 1 0-2.3 5.7", "M20 4v7h-7"],
  tray: ["M3 13l3-8h12l3 8", "M3 13v6h18v-6", "M3 13h5l1.5 2.5h5L16 13h5"],
  folder: ["M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z"],
  bulb: ["M9 18h6", "M10 21h4", "M12 3a6 6 0 0 0-3.5 10.9c.3.3.5.7.5 1.1v1h6v-1c0-.4.2-.8.5-1.1A6 6 0 0 0 12 3z"],
  plus: ["M12 5v14", "M5 12h14"],
  pause: ["M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z", "M10 9v6", "M14 9v6"],
  play: ["M8 5.5v13l10-6.5z"],
  pencil: ["M4 20h4L19 9l-4-4L4 16z", "M13.5 6.5l4 4"],
  pin: ["M9 4h6", "M10 4v6l-3 4h10l-3-4V4", "M12 14v6"],
  archive: ["M3 4h18v4H3z", "M5 8v12h14V8", "M10 12h4"],
  restore: ["M4 12a8 8 0 1 0 2.3-5.7", "M4 4v5h5"],
  trash: ["M4 7h16", "M10 11v6", "M14 11v6", "M6 7l1 13h10l1-13", "M9 7V4h6v3"],
  bell: ["M6 16V11a6 6 0 0 1 12 0v5l2 2H4z", "M10 21h4"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  link: ["M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"],
  chat: ["M4 5h16v11H9l-5 4z"],
  send: ["M21 3L3 10.5l7 2.5 2.5 7z", "M21 3L10 13"],
  mail: ["M3 6h18v12H3z", "M3 7l9 6 9-6"],
  key: ["M8 20a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z", "M11.2 12.3L20 3.5", "M16.5 7l2.5 2.5", "M14 9.5l2 2"],
  sparkle: ["M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z", "M19 16l.7 1.8 1.8.7-1.8.7L19 21l-.7-1.8-1.8-.7 1.8-.7z"],
} as const;

/** Name of an icon in the app's icon set. */
export type IconName = keyof typeof PATHS;

/** A decorative icon (hidden from assistive technology). */
export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
