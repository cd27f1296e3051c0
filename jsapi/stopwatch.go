package jsapi

import (
	"context"
	"sync"
	"time"

	"github.com/alchemy-go/alchemy/runtime"
)

// stopPoll is how often a stopWatch checks its loop while calls wait.
const stopPoll = 10 * time.Millisecond

// stopWatch cancels the contexts of Go calls waiting for JS once the loop
// has stopped running JS (the program failed or was interrupted): a handler
// awaiting a timer would otherwise never settle, and its apply never end.
// One goroutine polls the loop, and only while calls wait.
type stopWatch struct {
	loop *runtime.Loop

	mu      sync.Mutex
	next    int
	waiting map[int]context.CancelFunc
	polling bool
}

func newStopWatch(loop *runtime.Loop) *stopWatch {
	return &stopWatch{loop: loop, waiting: map[int]context.CancelFunc{}}
}

// watch returns a context cancelled when the loop stops, and the function
// to call once the wait is over.
func (w *stopWatch) watch(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loop.Stopped() {
		cancel()
		return ctx, cancel
	}
	id := w.next
	w.next++
	w.waiting[id] = cancel
	if !w.polling {
		w.polling = true
		go w.poll()
	}
	return ctx, func() {
		w.mu.Lock()
		delete(w.waiting, id)
		w.mu.Unlock()
		cancel()
	}
}

func (w *stopWatch) poll() {
	t := time.NewTicker(stopPoll)
	defer t.Stop()
	for range t.C {
		w.mu.Lock()
		stopped := w.loop.Stopped()
		if stopped {
			for id, cancel := range w.waiting {
				cancel()
				delete(w.waiting, id)
			}
		}
		if len(w.waiting) == 0 {
			w.polling = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
	}
}
