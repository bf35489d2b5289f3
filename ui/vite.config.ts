import { defineConfig } from "vitest/config";

// Vite + Vitest configuration for the Clawtower UI.
// No React plugin: esbuild compiles JSX with the automatic runtime, which keeps
// the bundle free of eval/inline scripts (the desktop CSP forbids both).
export default defineConfig({
  base: "./",
  clearScreen: false,
  envPrefix: ["VITE_", "TAURI_ENV_"],
  esbuild: {
    jsx: "automatic",
  },
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router ships "use client" directives, meaningless in a client-only bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
