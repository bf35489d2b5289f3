import { act } from "@testing-library/react";

/** A promise the test settles when it wants, inside act (to hold a backend answer back). */
export function pending<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve: (value: T) =>
      act(async () => {
        resolve(value);
        await promise.catch(() => undefined);
      }),
    reject: (error: unknown) =>
      act(async () => {
        reject(error);
        await promise.catch(() => undefined);
      }),
  };
}
