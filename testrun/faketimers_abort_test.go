package testrun

import "testing"

// AbortSignal.timeout keeps real time while a test fakes the timers, as
// Node's does: the signal aborts without the fake clock being advanced.
func TestAbortSignalTimeoutIgnoresFakeTimers(t *testing.T) {
	src := `
import { expect, test, vi } from "vitest";

test("aborts on real time", async () => {
  vi.useFakeTimers();
  const signal = AbortSignal.timeout(5);
  const reason = await new Promise<any>((resolve) => signal.addEventListener("abort", () => resolve(signal.reason)));
  expect(reason.name).toBe("TimeoutError");
  expect(vi.getTimerCount()).toBe(0);
}, 5000);
`
	out, _ := runInProgramHost(t, src)
	checkSummary(t, out.FileResult, "passed aborts on real time")
}
