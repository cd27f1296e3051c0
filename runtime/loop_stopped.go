package runtime

// Stopped reports whether the loop has stopped running JS: its run ended or
// failed, and work posted from now on is discarded. Go code that waits for
// JS to settle something (a promise a Go caller awaits) uses it to give up
// once nothing can settle it any more. Safe from any goroutine.
func (l *Loop) Stopped() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stopped
}
