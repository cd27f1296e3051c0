// Command alchemy runs Alchemy infrastructure programs written in TypeScript.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1   // the program or a deployment failed
	exitUsage       = 2   // bad command line
	exitUnsettled   = 13  // top-level await never settled (as node)
	exitInterrupted = 130 // Ctrl-C, after in-flight operations finished
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// cli carries the process streams to a command.
type cli struct {
	stdout, stderr io.Writer
}

// command is one subcommand of the CLI.
type command struct {
	name     string
	synopsis string // arguments, for usage
	summary  string
	run      func(ctx context.Context, c cli, args []string) int
}

// commands is the dispatch table. A new subcommand is one entry here,
// implemented in its own file.
func commands() []command {
	return []command{
		{"run", "[FILE] [flags]", "run a program (FILE defaults to ./alchemy.run.ts, then ./alchemy.run.js)", programCommand("run")},
		{"deploy", "[FILE] [flags]", "run the program (the same as run)", programCommand("deploy")},
		{"destroy", "[FILE] [flags]", "run with --destroy: delete everything in the stage", programCommand("destroy")},
		{"dev", "[FILE] [flags]", "run with --dev: everything local, watch implied", programCommand("dev")},
		{"test", "[PATTERN...] [flags]", "run infrastructure tests (*.test.ts) on a local Cloudflare (see alchemy test -h)", func(ctx context.Context, c cli, args []string) int {
			return runTestCommand(ctx, c, args)
		}},
		{"local", "[--addr A] [--data DIR]", "serve the local Cloudflare on its own", func(ctx context.Context, c cli, args []string) int {
			return runLocalCommand(ctx, args, c.stdout, c.stderr)
		}},
		{"init", "[DIR] [--force]", "write a starter project (program, Worker, tsconfig.json, type declarations)", runInitCommand},
		{"types", "[DIR]", "rewrite the type declarations in .alchemy/types (after an upgrade)", runTypesCommand},
		{"version", "", "print the version", func(_ context.Context, c cli, _ []string) int {
			fmt.Fprintf(c.stdout, "alchemy %s\n", version)
			return exitOK
		}},
		{"help", "", "print this help", func(_ context.Context, c cli, _ []string) int {
			fmt.Fprint(c.stdout, usage())
			return exitOK
		}},
	}
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run dispatches a command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := interruptContext(stderr)
	defer stop()
	c := cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help":
		fmt.Fprint(stdout, usage())
		return exitOK
	case "-v", "--version":
		args = []string{"version"}
	}
	if cmd, ok := lookupCommand(args[0]); ok {
		return cmd.run(ctx, c, args[1:])
	}
	if looksLikeProgram(args[0]) {
		// alchemy FILE [flags] is alchemy run FILE [flags].
		return programCommand("run")(ctx, c, args)
	}
	fmt.Fprintf(stderr, "alchemy: unknown command %q\nRun 'alchemy help' for usage.\n", args[0])
	return exitUsage
}

// looksLikeProgram reports whether a first argument names a program file
// rather than a (misspelled) command.
func looksLikeProgram(arg string) bool {
	if strings.ContainsRune(arg, '/') {
		return true
	}
	for _, ext := range []string{".ts", ".mts", ".tsx", ".js", ".mjs", ".jsx"} {
		if strings.HasSuffix(arg, ext) {
			return true
		}
	}
	return false
}

// interruptContext returns a context cancelled by the first SIGINT or
// SIGTERM, so that work in flight can finish; a second one exits at once.
func interruptContext(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "alchemy: interrupted again, exiting now")
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString("usage: alchemy <command> [arguments]\n       alchemy FILE [flags]    (the same as alchemy run FILE [flags])\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-34s %s\n", strings.TrimSpace(c.name+" "+c.synopsis), c.summary)
	}
	b.WriteString("\nFlags of run, deploy, destroy and dev:\n")
	for _, f := range runFlags() {
		name := "--" + f.name
		if f.value != "" {
			name += " " + f.value
		}
		fmt.Fprintf(&b, "  %-34s %s\n", name, f.help)
	}
	return b.String()
}
