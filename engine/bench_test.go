package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// manyProgram starts n resources at once (as Promise.all would) and waits
// for them all.
func manyProgram(n int, secret bool) program {
	return func(ctx context.Context, s *engine.Scope) error {
		hs := make([]*engine.Handle, n)
		for i := range hs {
			props := obj("name", fmt.Sprintf("resource-%d", i), "size", i, "tags", []any{"a", "b"}, "nested", obj("ok", true))
			if secret {
				props.Set("token", value.NewSecret(fmt.Sprintf("token-%d", i)))
			}
			h, err := s.Start(ctx, "test::Thing", fmt.Sprintf("r%d", i), props)
			if err != nil {
				return err
			}
			hs[i] = h
		}
		for _, h := range hs {
			if _, err := h.Wait(ctx); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkNoopRerun measures a re-run of a program whose resources are all
// up to date: read, compare and skip each one, then finalize (list the
// stage, find no orphans).
func BenchmarkNoopRerun(b *testing.B) {
	for _, tc := range []struct {
		n      int
		secret bool
	}{{1000, false}, {10000, false}, {1000, true}} {
		name := fmt.Sprintf("resources=%d", tc.n)
		if tc.secret {
			name += "/with-secrets"
		}
		b.Run(name, func(b *testing.B) {
			e := newEnv(b)
			e.syncOff = true
			e.mustRunUp(manyProgram(tc.n, tc.secret))
			e.syncOff = false
			ctx := context.Background()
			counts := &countingReporter{}
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				eng := engine.New(engine.Config{Store: e.store(), Registry: e.reg, Reporter: counts})
				app, err := eng.Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Quiet: true})
				if err != nil {
					b.Fatal(err)
				}
				if err := manyProgram(tc.n, tc.secret)(ctx, app.Stage()); err != nil {
					b.Fatal(err)
				}
				if err := app.Finalize(ctx); err != nil {
					b.Fatal(err)
				}
				app.Close()
			}
			b.StopTimer()
			cpu.report(b)
			if counts.skipped.Load() != int64(tc.n*b.N) || counts.other.Load() != 0 {
				b.Fatalf("not a no-op: %d skipped, %d other events", counts.skipped.Load(), counts.other.Load())
			}
		})
	}
}

// countingReporter counts events without keeping them.
type countingReporter struct {
	skipped, other atomic.Int64
}

func (c *countingReporter) Report(ev engine.Event) {
	if ev.Action == engine.ActionSkipped {
		c.skipped.Add(1)
	} else {
		c.other.Add(1)
	}
}

// slowDelete is a provider whose deletes each take 20 ms.
type slowDelete struct{}

func (slowDelete) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return obj(), nil
}
func (slowDelete) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return obj(), nil
}
func (slowDelete) Delete(ctx context.Context, req *engine.Request) error {
	time.Sleep(20 * time.Millisecond)
	return nil
}

// BenchmarkDestroy1000Slow measures deleting 1,000 independent resources
// whose deletes each wait 20 ms.
func BenchmarkDestroy1000Slow(b *testing.B) {
	const n = 1000
	e := newEnv(b)
	e.reg.Register("test::Slow", slowDelete{})
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		store := state.NewFileStore(e.dotDir, state.NewCodec(e.password), state.WithoutFsync())
		for i := range n {
			rec := state.NewRecord(state.LayoutFinal)
			rec.Kind, rec.ID, rec.FQN, rec.Seq, rec.Status = "test::Slow", fmt.Sprintf("s%d", i), fmt.Sprintf("app/dev/s%d", i), i, state.StatusCreated
			rec.Props = obj("i", i)
			if err := store.Set(ctx, stagePath(), rec.ID, rec); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		app, err := engine.New(engine.Config{Store: e.store(), Registry: e.reg}).Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Phase: engine.PhaseDestroy, Quiet: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := app.Destroy(ctx); err != nil {
			b.Fatal(err)
		}
		app.Close()
	}
}

// BenchmarkCreate1000 measures a first run creating 1,000 resources: two
// atomic, fsynced writes each (the creating record, then the final one).
func BenchmarkCreate1000(b *testing.B) {
	ctx := context.Background()
	cpu := startCPU()
	defer cpu.report(b)
	for range b.N {
		b.StopTimer()
		e := newEnv(b)
		b.StartTimer()
		app, err := e.engine().Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Quiet: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := manyProgram(1000, false)(ctx, app.Stage()); err != nil {
			b.Fatal(err)
		}
		if err := app.Finalize(ctx); err != nil {
			b.Fatal(err)
		}
		app.Close()
	}
}
