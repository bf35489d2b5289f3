// Vitest setup: jest-dom matchers, DOM cleanup, and a matchMedia jsdom does not provide.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { installMatchMedia } from "./matchMedia";

beforeEach(() => {
  installMatchMedia(false);
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  delete document.documentElement.dataset.theme;
});
