package state

// NewLock returns a held stage lock whose Unlock calls release once: the
// lock of a store that keeps its locks somewhere other than a lock file (a
// database row, a remote service), or that has none to take.
func NewLock(release func() error) *Lock {
	if release == nil {
		release = func() error { return nil }
	}
	return &Lock{release: release}
}
