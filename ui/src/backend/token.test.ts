import { afterEach, describe, expect, it } from "vitest";
import { takeToken } from "./token";

afterEach(() => {
  window.history.replaceState(null, "", "/");
});

describe("takeToken", () => {
  it("takes the token from #token= and removes it from the address bar, storing nothing", () => {
    window.history.replaceState(null, "", "/app?x=1#token=abc123");

    expect(takeToken(window)).toBe("abc123");
    expect(window.location.hash).toBe("");
    expect(window.location.pathname + window.location.search).toBe("/app?x=1");
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.getItem("clawtower.token")).toBeNull();
  });

  it("leaves router fragments alone", () => {
    window.history.replaceState(null, "", "/#/settings");

    expect(takeToken(window)).toBeNull();
    expect(window.location.hash).toBe("#/settings");
  });

  it("returns null when there is no token", () => {
    expect(takeToken(window)).toBeNull();
  });
});
