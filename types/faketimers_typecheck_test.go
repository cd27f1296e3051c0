package types

import (
	"strings"
	"testing"
)

// fakeTimersTest uses every fake timer member of vi, through the globals and through an import.
const fakeTimersTest = `/// <reference types="vitest/globals" />
import { vi as imported, type FakeTimerInstallOpts } from "vitest";

const config: FakeTimerInstallOpts = { now: new Date(0), toFake: ["setTimeout", "Date"], loopLimit: 100 };

test("fake timers", async () => {
  vi.useFakeTimers(config).useFakeTimers({ now: 0, shouldAdvanceTime: true, advanceTimeDelta: 5 });
  const faking: boolean = vi.isFakeTimers();
  vi.advanceTimersByTime(10).advanceTimersToNextTimer().advanceTimersToNextFrame();
  await vi.advanceTimersByTimeAsync(10);
  await vi.advanceTimersToNextTimerAsync();
  vi.runAllTimers().runOnlyPendingTimers().runAllTicks().clearAllTimers();
  await imported.runAllTimersAsync();
  await imported.runOnlyPendingTimersAsync();
  const count: number = vi.getTimerCount();
  vi.setSystemTime(0).setSystemTime("2020-01-01").setSystemTime(new Date());
  const mocked: Date | null = vi.getMockedSystemTime();
  const real: number = vi.getRealSystemTime();
  expect([faking, count, mocked, real]).toHaveLength(4);
  imported.useRealTimers();
});
`

// importedFakeTimersTest uses them through an import alone, with no opt-in to the globals.
const importedFakeTimersTest = `import { expect, test, vi } from "vitest";

test("fake timers without the globals", () => {
  vi.useFakeTimers({ now: 0 });
  vi.advanceTimersByTime(5);
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});
`

// wrongFakeTimersTest misuses them; each line marked `// error` must be an error.
const wrongFakeTimersTest = `/// <reference types="vitest/globals" />
test("wrong", () => {
  vi.useFakeTimers({ toFake: ["setTimeot"] }); // error
  vi.advanceTimersByTime("soon" as unknown as boolean); // error
  const when: number = vi.getMockedSystemTime(); // error
});
`

// TestTypecheckFakeTimers compiles test files that use vi's fake timers: right uses compile, wrong ones
// are errors on the lines that make them.
func TestTypecheckFakeTimers(t *testing.T) {
	tsc := tscPath(t)
	t.Run("ok", func(t *testing.T) {
		t.Parallel()
		p := project{"test/timers.test.ts": []byte(fakeTimersTest)}
		requireClean(t, typecheck(t, tsc, p.write(t, Options{}, "")))
	})
	t.Run("imported", func(t *testing.T) {
		t.Parallel()
		p := project{"test/imported.test.ts": []byte(importedFakeTimersTest)}
		requireClean(t, typecheck(t, tsc, p.write(t, Options{}, "")))
	})
	t.Run("wrong", func(t *testing.T) {
		t.Parallel()
		p := project{"test/wrong.test.ts": []byte(wrongFakeTimersTest)}
		diags := typecheck(t, tsc, p.write(t, Options{}, ""))
		var want []int
		for i, line := range strings.Split(wrongFakeTimersTest, "\n") {
			if strings.HasSuffix(line, "// error") {
				want = append(want, i+1)
			}
		}
		got := map[int]bool{}
		for _, d := range diags {
			if !strings.HasSuffix(d.file, "test/wrong.test.ts") {
				t.Errorf("unexpected error: %s", d)
				continue
			}
			got[d.line] = true
		}
		for _, line := range want {
			if !got[line] {
				t.Errorf("line %d: no error; got %v", line, diags)
			}
		}
		if len(got) != len(want) {
			t.Errorf("errors on lines %v, want exactly %v", got, want)
		}
	})
}
