package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/value"
)

// graphProgram declares base ← mid1, mid2 ← top (props referencing outputs),
// a nested scope whose resource references top, and independent resources.
// Every delete waits delay ms.
func graphProgram(delay int, independent int, failTop bool) program {
	return func(ctx context.Context, s *engine.Scope) error {
		base, err := apply(ctx, s, "test::Thing", "base", obj("delay", delay))
		if err != nil {
			return err
		}
		mid1, err := apply(ctx, s, "test::Thing", "mid1", obj("delay", delay, "uses", base))
		if err != nil {
			return err
		}
		mid2, err := apply(ctx, s, "test::Thing", "mid2", obj("delay", delay, "list", []any{obj("deep", base)}))
		if err != nil {
			return err
		}
		topProps := obj("delay", delay, "a", mid1, "b", mid2)
		if failTop {
			topProps.Set("fail", value.String("delete"))
		}
		top, err := apply(ctx, s, "test::Thing", "top", topProps)
		if err != nil {
			return err
		}
		nested, err := s.Nested(ctx, "nested", engine.ScopeOptions{})
		if err != nil {
			return err
		}
		if _, err := apply(ctx, nested, "test::Thing", "user", obj("delay", delay, "top", top)); err != nil {
			return err
		}
		if err := nested.Finalize(ctx); err != nil {
			return err
		}
		var hs []*engine.Handle
		for i := range independent {
			h, err := s.Start(ctx, "test::Thing", "i"+value.FormatNumber(float64(i)), obj("delay", delay))
			if err != nil {
				return err
			}
			hs = append(hs, h)
		}
		for _, h := range hs {
			if _, err := h.Wait(ctx); err != nil {
				return err
			}
		}
		return nil
	}
}

func deletionOrder(calls []string) []string {
	var out []string
	for _, c := range calls {
		if id, ok := strings.CutPrefix(c, "delete app/dev/"); ok {
			out = append(out, id)
		}
	}
	return out
}

func before(order []string, a, b string) bool {
	ia, ib := slices.Index(order, a), slices.Index(order, b)
	return ia >= 0 && ib >= 0 && ia < ib
}

func TestDeletionFollowsDependencies(t *testing.T) {
	e := newEnv(t)
	e.workers = 4
	e.mustRunUp(graphProgram(30, 8, false))
	e.things.Reset()
	app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy})
	if err := app.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	order := deletionOrder(e.things.Calls())
	if len(order) != 13 {
		t.Fatalf("deleted %q", order)
	}
	for _, pair := range [][2]string{{"nested/user", "top"}, {"top", "mid1"}, {"top", "mid2"}, {"mid1", "base"}, {"mid2", "base"}} {
		if !before(order, pair[0], pair[1]) {
			t.Errorf("%s deleted after %s: %q", pair[0], pair[1], order)
		}
	}
	if e.things.maxActive < 2 || e.things.maxActive > 4 {
		t.Errorf("%d deletions at once, want 2..4 (pool of 4)", e.things.maxActive)
	}
}

func TestSequentialStrategyIsReverseSeq(t *testing.T) {
	e := newEnv(t)
	e.mustRunUp(graphProgram(0, 3, false))
	e.things.Reset()
	app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy, DestroyStrategy: engine.StrategySequential})
	if err := app.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	want := []string{"i2", "i1", "i0", "nested/user", "top", "mid2", "mid1", "base"}
	if got := deletionOrder(e.things.Calls()); !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if e.things.maxActive != 1 {
		t.Errorf("%d at once", e.things.maxActive)
	}
}

func TestFailedDeletionKeepsWhatDependsOnIt(t *testing.T) {
	e := newEnv(t)
	e.mustRunUp(graphProgram(0, 2, true))
	e.things.Reset()
	app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy})
	err := app.Destroy(context.Background())
	app.Close()
	if err == nil || !strings.Contains(err.Error(), `"app/dev/top"`) {
		t.Fatalf("err = %v", err)
	}
	order := deletionOrder(e.things.Calls())
	for _, id := range []string{"mid1", "mid2", "base"} {
		if slices.Contains(order, id) {
			t.Errorf("%s deleted although top, which uses it, failed", id)
		}
		if e.recordOf(stagePath(), id) == nil {
			t.Errorf("%s record lost", id)
		}
	}
	for _, id := range []string{"i0", "i1", "nested/user"} {
		if !slices.Contains(order, id) {
			t.Errorf("independent %s not deleted: %q", id, order)
		}
	}
	if e.recordOf(stagePath(), "top") == nil {
		t.Error("failed resource's record removed")
	}
	if e.recordOf(stagePath(), "nested") != nil {
		t.Error("emptied nested scope's marker left")
	}
}

// TestDeleteWaitsDoNotDeadlock runs more dependent chains than workers.
func TestDeleteWaitsDoNotDeadlock(t *testing.T) {
	e := newEnv(t)
	e.workers = 2
	e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
		var prev value.Value = value.Null{}
		for i := range 30 {
			out, err := apply(ctx, s, "test::Thing", "c"+value.FormatNumber(float64(i)), obj("prev", prev))
			if err != nil {
				return err
			}
			prev = out
		}
		return nil
	})
	e.things.Reset()
	app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy})
	if err := app.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	order := deletionOrder(e.things.Calls())
	for i := 1; i < 30; i++ {
		if !before(order, "c"+value.FormatNumber(float64(i)), "c"+value.FormatNumber(float64(i-1))) {
			t.Fatalf("chain out of order: %q", order)
		}
	}
}
