package schema

import (
	"errors"
	"testing"

	"github.com/alchemy-go/alchemy/value"
)

func TestCheckProps(t *testing.T) {
	kind := Kind{
		Kind: "test::Route",
		Props: Fields(Required("pattern", "script"), Optional("zoneId", "adopt"),
			[]Field{Unsupported("namespace", "not yet")}),
	}
	tests := []struct {
		name   string
		props  value.Value
		field  string // "" for no error
		reason string
	}{
		{"all given", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "zoneId", value.String("z")), "", ""},
		{"unsupported passes", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "namespace", value.String("n")), "", ""},
		{"symbol keys pass", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "Symbol(alchemy::ResourceKind)", value.String("k")), "", ""},
		{"unknown", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "colour", value.Bool(true)), "colour", "unknown"},
		{"misspelled", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "zoneID", value.String("z")), "zoneID", "unknown (did you mean zoneId?)"},
		{"unknown null", value.Obj("pattern", value.String("a/*"), "script", value.String("w"), "adpot", value.Null{}), "adpot", "unknown (did you mean adopt?)"},
		{"missing", value.Obj("pattern", value.String("a/*")), "script", "is required"},
		{"required null", value.Obj("pattern", value.String("a/*"), "script", value.Null{}), "script", "is required"},
		{"none", nil, "pattern", "is required"},
		{"null", value.Null{}, "pattern", "is required"},
		{"not an object", value.String("x"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := kind.CheckProps(tt.props)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("CheckProps = %v, want nil", err)
				}
				return
			}
			var pe *PropError
			if !errors.As(err, &pe) {
				t.Fatalf("CheckProps = %v, want a *PropError", err)
			}
			if pe.Field != tt.field || pe.Reason != tt.reason {
				t.Errorf("CheckProps = {%s, %s}, want {%s, %s}", pe.Field, pe.Reason, tt.field, tt.reason)
			}
		})
	}
}

func TestOptionalKindAcceptsNone(t *testing.T) {
	kind := Kind{Kind: "test::Bucket", Props: Optional("name")}
	for _, props := range []value.Value{nil, value.Null{}, value.NewObject(0)} {
		if err := kind.CheckProps(props); err != nil {
			t.Errorf("CheckProps(%v) = %v", props, err)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"title", "titel", 1}, {"adpot", "adopt", 1}, {"zoneid", "zoneid", 0}, {"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := distance(tt.a, tt.b); got != tt.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
