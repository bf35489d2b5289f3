// Vitest setup: jest-dom matchers, DOM cleanup, and the matchMedia and layout jsdom does not provide.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { installLayout } from "./layout";
import { installMatchMedia } from "./matchMedia";

installLayout();

beforeEach(() => {
  installMatchMedia(false);
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  delete document.documentElement.dataset.theme;
});
