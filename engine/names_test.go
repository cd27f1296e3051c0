package engine_test

import (
	"context"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
)

func TestPhysicalNamesLeaveUnnamedScopesOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	app := e.open(engine.AppOptions{Name: "my.app", Stage: "ci"})
	stage := app.Stage()
	backend, err := stage.Nested(ctx, "backend", engine.ScopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	testScope, err := stage.Nested(ctx, "suite/a long test name", engine.ScopeOptions{Unnamed: true})
	if err != nil {
		t.Fatal(err)
	}
	inner, err := testScope.Nested(ctx, "inner", engine.ScopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		scope *engine.Scope
		want  string
	}{
		{stage, "my-app-api-ci"},
		{backend, "my-app-backend-api-ci"},
		{testScope, "my-app-api-ci"},
		{inner, "my-app-inner-api-ci"},
	}
	for _, tt := range tests {
		if got := tt.scope.PhysicalName("api"); got != tt.want {
			t.Errorf("%s: PhysicalName(api) = %q, want %q", tt.scope, got, tt.want)
		}
	}
	if got, want := testScope.FQN("api"), "my.app/ci/suite/a long test name/api"; got != want {
		t.Errorf("the unnamed scope still keeps its place in the state: FQN = %q, want %q", got, want)
	}
}
