/**
 * Plain text in which each `backticked` span (a command, a path) is shown as `<code>`, as in
 * the backend's messages and hints. A lone backtick stays as it is.
 */
export function CodeText({ text }: { text: string }) {
  // With a capturing group, split puts the backticked spans at the odd indices.
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
