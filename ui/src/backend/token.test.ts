import { afterEach, describe, expect, it } from "vitest";
import { takeToken } from "./token";

afterEach(() => {
  window.history.replaceState(null, "", "/");
});

describe("takeToken", () => {
  it("takes the token from #token=, saves it and removes it from the address bar", () => {
    window.history.replaceState(null, "", "/app?x=1#token=abc123");

    expect(takeToken(window)).toBe("abc123");
    expect(sessionStorage.getItem("clawtower.token")).toBe("abc123");
    expect(window.location.hash).toBe("");
    expect(window.location.pathname + window.location.search).toBe("/app?x=1");
  });

  it("falls back to the token saved in this tab and leaves router fragments alone", () => {
    sessionStorage.setItem("clawtower.token", "saved");
    window.history.replaceState(null, "", "/#/settings");

    expect(takeToken(window)).toBe("saved");
    expect(window.location.hash).toBe("#/settings");
  });

  it("returns null when there is no token anywhere", () => {
    expect(takeToken(window)).toBeNull();
  });
});
