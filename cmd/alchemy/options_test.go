package main

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseRunArgs(t *testing.T) {
	tests := []struct {
		args []string
		want rawRunOptions
		err  string
	}{
		{args: nil, want: rawRunOptions{}},
		{args: []string{"app.ts"}, want: rawRunOptions{file: "app.ts"}},
		{
			args: []string{"app.ts", "--stage", "prod", "--force", "--adopt=true", "--quiet", "--root-dir=/r", "--app", "api", "--lock-timeout", "30s", "--env-file", "x.env"},
			want: rawRunOptions{file: "app.ts", stage: "prod", force: true, adopt: true, quiet: true, rootDir: "/r", app: "api", lockTimeout: 30 * time.Second, envFile: "x.env",
				flags: []string{"--stage", "prod", "--force", "--adopt=true", "--quiet", "--root-dir=/r", "--app", "api", "--lock-timeout", "30s", "--env-file", "x.env"}},
		},
		{args: []string{"--destroy", "--watch"}, want: rawRunOptions{destroy: true, watch: true, flags: []string{"--destroy", "--watch"}}},
		{args: []string{"--local"}, want: rawRunOptions{dev: true, flags: []string{"--local"}}},
		{args: []string{"--read", "--", "--anything", "goes"}, want: rawRunOptions{read: true, flags: []string{"--read", "--", "--anything", "goes"}}},
		{args: []string{"--stgae", "x"}, err: "unknown flag --stgae"},
		{args: []string{"--stage"}, err: "flag --stage needs a value: --stage NAME"},
		{args: []string{"--force=maybe"}, err: `flag --force: "maybe" is not a boolean`},
		{args: []string{"--lock-timeout", "soon"}, err: `flag --lock-timeout: "soon" is not a duration`},
		{args: []string{"--read", "--destroy"}, err: "--read and --destroy cannot be used together"},
		{args: []string{"--quiet", "app.ts"}, err: "the program file must come before the flags: app.ts"},
		{args: []string{"app.ts", "extra"}, err: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		got, err := parseRunArgs(tt.args)
		if tt.err != "" {
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseRunArgs(%q) error = %v, want usage error %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseRunArgs(%q): %v", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("parseRunArgs(%q) =\n %+v\nwant\n %+v", tt.args, *got, tt.want)
		}
	}
}

func TestResolveStage(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"prod", map[string]string{"ALCHEMY_STAGE": "x"}, "prod"},
		{"", map[string]string{"ALCHEMY_STAGE": "a", "STAGE": "b", "USER": "c"}, "a"},
		{"", map[string]string{"STAGE": "b", "USER": "c"}, "b"},
		{"", map[string]string{"USER": "c", "USERNAME": "d"}, "c"},
		{"", map[string]string{"USERNAME": "d"}, "d"},
		{"", map[string]string{"STAGE": ""}, "dev"},
		{"", nil, "dev"},
	}
	for _, tt := range tests {
		lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
		if got := resolveStage(tt.flag, lookup); got != tt.want {
			t.Errorf("resolveStage(%q, %v) = %q, want %q", tt.flag, tt.env, got, tt.want)
		}
	}
}

func TestResolveRunOptions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "alchemy.run.ts"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	noEnv := func(string) (string, bool) { return "", false }
	raw, err := parseRunArgs([]string{"--stage", "prod"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := resolveRunOptions("destroy", raw, dir, "/bin/alchemy", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := RunOptions{
		Command: "destroy", File: filepath.Join(dir, "alchemy.run.ts"), Stage: "prod", Phase: PhaseDestroy,
		RootDir: dir, Argv: []string{"/bin/alchemy", filepath.Join(dir, "alchemy.run.ts"), "--destroy", "--stage", "prod"},
	}
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("options =\n %+v\nwant\n %+v", *o, want)
	}
	raw, _ = parseRunArgs(nil)
	o, err = resolveRunOptions("dev", raw, dir, "/bin/alchemy", noEnv)
	if err != nil || !o.Dev || !o.Watch || o.Phase != PhaseUp || o.Argv[2] != "--dev" {
		t.Errorf("dev: %+v, %v", o, err)
	}
	raw, _ = parseRunArgs([]string{"--read"})
	if _, err := resolveRunOptions("destroy", raw, dir, "/bin/alchemy", noEnv); err == nil {
		t.Error("destroy --read accepted")
	}
	raw, _ = parseRunArgs([]string{"missing.ts"})
	if _, err := resolveRunOptions("run", raw, dir, "/bin/alchemy", noEnv); err == nil || !strings.Contains(err.Error(), "program missing.ts: no such file") {
		t.Errorf("missing program: %v", err)
	}
	raw, _ = parseRunArgs(nil)
	if _, err := resolveRunOptions("run", raw, t.TempDir(), "/bin/alchemy", noEnv); err == nil || !strings.Contains(err.Error(), "no program") {
		t.Errorf("no program: %v", err)
	}
	raw, _ = parseRunArgs([]string{"--root-dir", "nope"})
	if _, err := resolveRunOptions("run", raw, dir, "/bin/alchemy", noEnv); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("bad root dir: %v", err)
	}
}

func TestParseEnvFile(t *testing.T) {
	text := "# comment\n" +
		"PLAIN=value\n" +
		"export EXPORTED=yes\n" +
		"SPACED = padded value   # trailing comment\n" +
		"DOUBLE=\"line1\\nline2 \\\"q\\\" # not a comment\"\n" +
		"SINGLE='raw \\n $HOME'\n" +
		"MULTI=\"a\nb\"\n" +
		"EMPTY=\n" +
		"URL=https://x.test/a#frag\n"
	got, err := parseEnvFile(".env", text)
	if err != nil {
		t.Fatal(err)
	}
	want := []envEntry{
		{"PLAIN", "value"}, {"EXPORTED", "yes"}, {"SPACED", "padded value"},
		{"DOUBLE", "line1\nline2 \"q\" # not a comment"}, {"SINGLE", `raw \n $HOME`},
		{"MULTI", "a\nb"}, {"EMPTY", ""}, {"URL", "https://x.test/a#frag"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries =\n %q\nwant\n %q", got, want)
	}
	for _, bad := range []string{"NOEQUALS\n", "1BAD=x\n", "Q=\"open\n"} {
		if _, err := parseEnvFile(".env", bad); err == nil || !strings.HasPrefix(err.Error(), ".env:1:") {
			t.Errorf("parseEnvFile(%q) = %v, want an error at .env:1", bad, err)
		}
	}
}

func TestLooksLikeProgram(t *testing.T) {
	for arg, want := range map[string]bool{
		"./alchemy.run.ts": true, "app.ts": true, "dir/app": true, "main.mjs": true,
		"deploi": false, "test": false,
	} {
		if got := looksLikeProgram(arg); got != want {
			t.Errorf("looksLikeProgram(%q) = %v", arg, got)
		}
	}
}
