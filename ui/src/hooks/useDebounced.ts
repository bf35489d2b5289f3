import { useEffect, useState } from "react";

/**
 * `value`, once it has stayed the same for `delayMs` (compared by `key`, so a value rebuilt on
 * every render with the same content does not restart the wait). The first value is at once.
 */
export function useDebounced<T>(value: T, key: string, delayMs: number): T {
  const [settled, setSettled] = useState<{ key: string; value: T }>({ key, value });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), delayMs);
    return () => clearTimeout(timer);
    // `value` is named by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, delayMs, settled.key]);
  return settled.value;
}
