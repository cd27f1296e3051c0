package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alchemy-go/alchemy/dev"
)

// Phase is what a run does to the resources of a stage.
type Phase string

// The phases of a run.
const (
	PhaseUp      Phase = "up"      // create and update (the default)
	PhaseRead    Phase = "read"    // never mutate; resources return stored output
	PhaseDestroy Phase = "destroy" // delete everything in the stage
)

// RunOptions are a program run's options, from the command line and the
// environment. They are handed to the alchemy API as the defaults a
// program's own options override.
type RunOptions struct {
	// Command is the subcommand that started the run: run, deploy, destroy
	// or dev.
	Command string
	// File is the program's absolute path.
	File string
	// Stage is the stage, resolved from --stage, ALCHEMY_STAGE, STAGE, USER,
	// USERNAME, else "dev".
	Stage string
	// Phase is up, read (--read) or destroy (--destroy).
	Phase Phase
	// Dev runs everything on the embedded local Cloudflare (--dev, --local).
	Dev bool
	// Watch re-runs the program when an input file changes (--watch; implied
	// by Dev).
	Watch bool
	// Force runs update handlers even when props did not change.
	Force bool
	// Adopt defaults adopt: true for every resource.
	Adopt bool
	// Quiet drops the per-resource lines.
	Quiet bool
	// EnvFile is the env file that was loaded, if any (--env-file, else
	// ./.env when it exists).
	EnvFile string
	// RootDir is the project root (--root-dir, else the working directory),
	// absolute; .alchemy/ lives there.
	RootDir string
	// App, when set, is the only app that mutates; other apps run in the
	// read phase.
	App string
	// LockTimeout bounds the wait for the stage's state lock (0: the state
	// store's default).
	LockTimeout time.Duration
	// Password encrypts the secrets in state: $ALCHEMY_PASSWORD (the
	// password option of alchemy() wins over it).
	Password string
	// Port is the first localhost port Workers are served on under --dev
	// (--port; 0 means 1337).
	Port int
	// session is the dev session a run under --dev deploys into (set by
	// the watch loop).
	session *dev.Session
	// Argv is process.argv: the binary, the program's absolute path, then
	// the flags as given (with the flag a command implies, such as
	// --destroy, first).
	Argv []string
}

// runFlag describes one flag of run, deploy, destroy and dev.
type runFlag struct {
	name  string
	value string // placeholder of the value; empty for a boolean flag
	help  string
	set   func(o *rawRunOptions, v string) error
}

// rawRunOptions holds the flags as parsed, before the environment is read.
type rawRunOptions struct {
	file        string
	stage       string
	destroy     bool
	read        bool
	dev         bool
	watch       bool
	force       bool
	adopt       bool
	quiet       bool
	envFile     string
	rootDir     string
	app         string
	lockTimeout time.Duration
	port        int
	flags       []string // every argument after FILE, as given
}

func runFlags() []runFlag {
	boolFlag := func(name, help string, field func(*rawRunOptions) *bool) runFlag {
		return runFlag{name: name, help: help, set: func(o *rawRunOptions, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("flag --%s: %q is not a boolean", name, v)
			}
			*field(o) = b
			return nil
		}}
	}
	strFlag := func(name, value, help string, field func(*rawRunOptions) *string) runFlag {
		return runFlag{name: name, value: value, help: help, set: func(o *rawRunOptions, v string) error {
			if v == "" {
				return fmt.Errorf("flag --%s: empty value", name)
			}
			*field(o) = v
			return nil
		}}
	}
	return []runFlag{
		strFlag("stage", "NAME", "stage (else $ALCHEMY_STAGE, $STAGE, $USER, $USERNAME, else dev)", func(o *rawRunOptions) *string { return &o.stage }),
		boolFlag("destroy", "delete everything in the stage, then exit", func(o *rawRunOptions) *bool { return &o.destroy }),
		boolFlag("read", "never mutate: resources return their stored output", func(o *rawRunOptions) *bool { return &o.read }),
		boolFlag("dev", "run everything on the local Cloudflare (watch implied)", func(o *rawRunOptions) *bool { return &o.dev }),
		boolFlag("local", "the same as --dev", func(o *rawRunOptions) *bool { return &o.dev }),
		boolFlag("watch", "re-run the program when one of its files changes", func(o *rawRunOptions) *bool { return &o.watch }),
		boolFlag("force", "run update handlers even when props did not change", func(o *rawRunOptions) *bool { return &o.force }),
		boolFlag("adopt", "adopt existing resources by default", func(o *rawRunOptions) *bool { return &o.adopt }),
		boolFlag("quiet", "no per-resource lines", func(o *rawRunOptions) *bool { return &o.quiet }),
		strFlag("env-file", "FILE", "load FILE into the environment first (default .env when it exists)", func(o *rawRunOptions) *string { return &o.envFile }),
		strFlag("root-dir", "DIR", "project root; .alchemy/ lives there", func(o *rawRunOptions) *string { return &o.rootDir }),
		strFlag("app", "NAME", "in a multi-app repo, only NAME mutates; other apps only read", func(o *rawRunOptions) *string { return &o.app }),
		{name: "port", value: "N", help: "under --dev, serve Workers from port N upward (default 1337)", set: func(o *rawRunOptions, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("flag --port: %q is not a port number", v)
			}
			o.port = n
			return nil
		}},
		{name: "lock-timeout", value: "DURATION", help: "how long to wait for the stage's state lock (e.g. 30s)", set: func(o *rawRunOptions, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("flag --lock-timeout: %q is not a duration such as 30s or 2m", v)
			}
			o.lockTimeout = d
			return nil
		}},
	}
}

// usageError is a bad command line (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// parseRunArgs parses the arguments of run, deploy, destroy and dev: an
// optional FILE first, then flags (--name value or --name=value).
// Arguments after "--" are left to the program.
func parseRunArgs(args []string) (*rawRunOptions, error) {
	o := &rawRunOptions{}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		o.file, args = args[0], args[1:]
	}
	o.flags = append([]string(nil), args...)
	flags := runFlags()
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		if !strings.HasPrefix(arg, "--") {
			if o.file == "" && !strings.HasPrefix(arg, "-") {
				return nil, usagef("the program file must come before the flags: %s", arg)
			}
			return nil, usagef("unexpected argument %q (pass arguments for the program after --)", arg)
		}
		name, value, hasValue := strings.Cut(arg[2:], "=")
		var flag *runFlag
		for j := range flags {
			if flags[j].name == name {
				flag = &flags[j]
			}
		}
		if flag == nil {
			return nil, usagef("unknown flag --%s (pass arguments for the program after --)", name)
		}
		if !hasValue {
			if flag.value == "" {
				value = "true"
			} else {
				if i+1 >= len(args) {
					return nil, usagef("flag --%s needs a value: --%s %s", name, name, flag.value)
				}
				i++
				value = args[i]
			}
		}
		if err := flag.set(o, value); err != nil {
			return nil, &usageError{msg: err.Error()}
		}
	}
	if o.read && o.destroy {
		return nil, usagef("--read and --destroy cannot be used together")
	}
	return o, nil
}

// resolveRunOptions completes parsed flags with the command's implied
// flags, the environment (after the env file is loaded into env) and the
// file system.
func resolveRunOptions(command string, raw *rawRunOptions, cwd, binary string, env envLookup) (*RunOptions, error) {
	implied := map[string]string{"destroy": "--destroy", "dev": "--dev"}[command]
	switch command {
	case "destroy":
		if raw.read {
			return nil, usagef("alchemy destroy cannot be used with --read")
		}
		raw.destroy = true
	case "dev":
		raw.dev = true
	}
	if raw.port != 0 && !raw.dev {
		return nil, usagef("--port only applies with --dev (alchemy dev)")
	}
	file, err := programFile(cwd, raw.file)
	if err != nil {
		return nil, err
	}
	o := &RunOptions{
		Command:     command,
		File:        file,
		Stage:       resolveStage(raw.stage, env),
		Phase:       PhaseUp,
		Dev:         raw.dev,
		Watch:       raw.watch || raw.dev,
		Force:       raw.force,
		Adopt:       raw.adopt,
		Quiet:       raw.quiet,
		RootDir:     cwd,
		App:         raw.app,
		LockTimeout: raw.lockTimeout,
		Port:        raw.port,
	}
	if pw, ok := env("ALCHEMY_PASSWORD"); ok {
		o.Password = pw
	}
	switch {
	case raw.destroy:
		o.Phase = PhaseDestroy
	case raw.read:
		o.Phase = PhaseRead
	}
	if raw.rootDir != "" {
		o.RootDir = absPath(cwd, raw.rootDir)
		if st, err := os.Stat(o.RootDir); err != nil || !st.IsDir() {
			return nil, usagef("--root-dir %s: not a directory", raw.rootDir)
		}
	}
	o.Argv = []string{binary, file}
	if implied != "" {
		o.Argv = append(o.Argv, implied)
	}
	o.Argv = append(o.Argv, raw.flags...)
	return o, nil
}

type envLookup func(key string) (string, bool)

// resolveStage applies the stage resolution order.
func resolveStage(flag string, env envLookup) string {
	if flag != "" {
		return flag
	}
	for _, k := range []string{"ALCHEMY_STAGE", "STAGE", "USER", "USERNAME"} {
		if v, ok := env(k); ok && v != "" {
			return v
		}
	}
	return "dev"
}

// programFile finds the program: FILE, else ./alchemy.run.ts, else
// ./alchemy.run.js.
func programFile(cwd, file string) (string, error) {
	if file != "" {
		p := absPath(cwd, file)
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return "", usagef("program %s: no such file", file)
		case err != nil:
			return "", usagef("program %s: %v", file, err)
		case st.IsDir():
			return "", usagef("program %s: is a directory", file)
		}
		return p, nil
	}
	for _, name := range []string{"alchemy.run.ts", "alchemy.run.js"} {
		p := filepath.Join(cwd, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", usagef("no program: give FILE, or create alchemy.run.ts in %s", cwd)
}

func absPath(cwd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(cwd, p)
}
