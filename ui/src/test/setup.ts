// Vitest setup: jest-dom matchers, DOM cleanup, and the matchMedia and layout jsdom does not provide.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { installLayout } from "./layout";
import { installMatchMedia } from "./matchMedia";

installLayout();

// No canvas in jsdom: charts draw into a stand-in that records what they were given.
vi.mock("uplot", () => import("./fakeUplot"));

beforeEach(() => {
  installMatchMedia(false);
});

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  delete document.documentElement.dataset.theme;
});
