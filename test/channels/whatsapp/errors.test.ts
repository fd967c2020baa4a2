import { describe, expect, it } from "vitest";
import { classifySendError, isSessionClosedError } from "../../../src/channels/whatsapp/errors.ts";

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe("classifySendError", () => {
  it("treats a closed browser or page as a network failure worth retrying", () => {
    for (const error of [
      named("ProtocolError", "Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed."),
      named("TargetCloseError", "Protocol error (Runtime.callFunctionOn): Target closed"),
      new Error("Execution context was destroyed, most likely because of a navigation."),
      new Error("Attempted to use detached Frame 'A1B2'."),
    ]) {
      expect(classifySendError(error)).toMatchObject({ ok: false, reason: "network", permanent: false });
      expect(isSessionClosedError(error)).toBe(true);
    }
    expect(classifySendError(named("TimeoutError", "Waiting failed: 30000ms exceeded"))).toMatchObject({ reason: "network", permanent: false });
    expect(classifySendError("auth timeout")).toMatchObject({ reason: "network", permanent: false, error: "auth timeout" });
  });

  it("gives up for good on recipients WhatsApp rejects", () => {
    for (const error of [new Error("wid error: invalid wid"), new Error("No LID for user"), "Not a WhatsApp user"]) {
      expect(classifySendError(error)).toMatchObject({ ok: false, reason: "bad_request", permanent: true });
      expect(isSessionClosedError(error)).toBe(false);
    }
  });

  it("reports anything else as a retryable server failure", () => {
    const failure = classifySendError(new TypeError("Cannot read properties of undefined (reading 'serialize')"));
    expect(failure).toEqual({ ok: false, reason: "server", permanent: false, error: "TypeError: Cannot read properties of undefined (reading 'serialize')" });
    expect(classifySendError({ weird: true })).toMatchObject({ reason: "server", error: '{"weird":true}' });
  });
});
