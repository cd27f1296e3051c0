//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package state

import "os"

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }
