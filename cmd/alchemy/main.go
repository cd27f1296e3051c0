// Command alchemy runs Alchemy infrastructure programs written in TypeScript.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: alchemy run [FILE] [flags]")
		return 2
	}
	switch args[0] {
	case "local":
		return runLocalCommand(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "alchemy: unknown command %q\n", args[0])
		return 2
	}
}
