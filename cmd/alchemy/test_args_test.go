package main

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseTestArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    testOptions
		wantErr string
	}{
		{name: "nothing", args: nil, want: testOptions{}},
		{
			name: "patterns and flags in any order",
			args: []string{"kv", "--remote", "-t", "get > put", "src/", "--bail", "--keep=true", "--json"},
			want: testOptions{patterns: []string{"kv", "src/"}, remote: true, name: "get > put", bail: true, keep: true, json: true},
		},
		{
			name: "values after = or as the next argument",
			args: []string{"--timeout=2m", "--parallel", "3", "--stage", "ci", "--env-file", "test.env", "--root-dir=infra", "--watch"},
			want: testOptions{timeout: 2 * time.Minute, parallel: 3, stage: "ci", envFile: "test.env", rootDir: "infra", watch: true},
		},
		{name: "-- ends the flags", args: []string{"--", "--odd-name.test.ts"}, want: testOptions{patterns: []string{"--odd-name.test.ts"}}},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "unknown flag --nope"},
		{name: "missing value", args: []string{"kv", "-t"}, wantErr: "flag -t needs a value: -t NAME"},
		{name: "bad boolean", args: []string{"--keep=maybe"}, wantErr: `flag --keep: "maybe" is not a boolean`},
		{name: "bad duration", args: []string{"--timeout", "0s"}, wantErr: `flag --timeout: "0s" is not a duration such as 30s`},
		{name: "bad parallel", args: []string{"--parallel", "none"}, wantErr: `flag --parallel: "none" is not a positive number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTestArgs(tt.args)
			if tt.wantErr != "" {
				var ue *usageError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &ue) {
					t.Fatalf("error %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestNameFilter(t *testing.T) {
	tests := []struct {
		pattern string
		path    []string
		want    bool
	}{
		{"kv > get", []string{"kv", "get"}, true},
		{"kv get", []string{"kv", "get"}, true},
		{"^get$", []string{"get"}, true},
		{"^get$", []string{"kv", "get"}, false},
		{"put", []string{"kv", "get"}, false},
		{"(paren", []string{"a (paren test"}, true},
	}
	for _, tt := range tests {
		match, err := nameFilter(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := match(tt.path); got != tt.want {
			t.Errorf("-t %q on %q = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	if match, err := nameFilter(""); err != nil || match != nil {
		t.Errorf("no -t: %v, %v", match != nil, err)
	}
}
