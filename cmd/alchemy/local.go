package main

import (
	"context"
	"fmt"
	"io"
)

// runLocalCommand serves the local Cloudflare until ctx is cancelled.
func runLocalCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "alchemy local: not implemented yet")
	return 1
}
