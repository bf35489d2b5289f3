import type { ErrorCode, RefusalCode } from "./bindings";

/**
 * Every error code the UI can see: a command's `ErrorCode`, what `clawtower serve` refuses a
 * request with (`RefusalCode`), and the browser's own when the server cannot be reached.
 */
export type BackendErrorCode = ErrorCode | RefusalCode | "UNREACHABLE";

/** The single error type Backend methods reject with; components switch on `code`. */
export class BackendError extends Error {
  override readonly name = "BackendError";

  /** Creates an error with a machine-readable `code` and a human-readable `message`. */
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function isAppErrorLike(value: unknown): value is { code: string; message?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string"
  );
}

/** Normalises anything thrown by a transport (AppError object, Error, string…) into a BackendError. */
export function toBackendError(value: unknown): BackendError {
  if (value instanceof BackendError) return value;
  if (isAppErrorLike(value)) {
    const message = typeof value.message === "string" ? value.message : value.code;
    return new BackendError(value.code as BackendErrorCode, message, { cause: value });
  }
  if (value instanceof Error) return new BackendError("INTERNAL", value.message, { cause: value });
  return new BackendError("INTERNAL", typeof value === "string" ? value : "Unknown error", {
    cause: value,
  });
}
