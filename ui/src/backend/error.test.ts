import { describe, expect, it } from "vitest";
import { BackendError, toBackendError } from "./error";

describe("toBackendError", () => {
  it("keeps BackendErrors, converts AppError objects, Errors and strings", () => {
    const original = new BackendError("IO", "disk full");
    expect(toBackendError(original)).toBe(original);
    expect(toBackendError({ code: "INVALID_INPUT", message: "bad theme" })).toMatchObject({
      code: "INVALID_INPUT",
      message: "bad theme",
    });
    expect(toBackendError(new Error("boom"))).toMatchObject({ code: "INTERNAL", message: "boom" });
    expect(toBackendError("oops")).toMatchObject({ code: "INTERNAL", message: "oops" });
    expect(toBackendError(undefined)).toMatchObject({ code: "INTERNAL" });
  });
});
