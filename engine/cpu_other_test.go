//go:build !unix

package engine_test

import "testing"

type cpuClock struct{}

func startCPU() *cpuClock             { return &cpuClock{} }
func (c *cpuClock) report(*testing.B) {}
