import { createContext, useContext, type ReactNode } from "react";
import type { Backend } from "./types";

const BackendContext = createContext<Backend | null>(null);

/** Makes `backend` available to every component below through {@link useBackend}. */
export function BackendProvider({ backend, children }: { backend: Backend; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

/** The Backend of the nearest {@link BackendProvider}. */
export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error("useBackend() must be used inside <BackendProvider>");
  return backend;
}
