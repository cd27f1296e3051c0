package dev

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is how long a Watcher waits for a burst of events to end:
// one save is several events (truncate and write; or rename, create, write
// and chmod for editors that save by renaming), all within a millisecond or
// two. It is short because it is most of the time from a save to the new
// Worker answering; a save slower than this costs one extra rebuild.
const DefaultDebounce = 10 * time.Millisecond

// Watcher reports the files that changed in a set of directories. It
// watches directories, never files: an editor that saves by renaming a new
// file over the old one replaces the inode, and a watch on the file would
// be lost silently. Events that arrive while nobody waits are kept for the
// next call to Next.
type Watcher struct {
	fsw      *fsnotify.Watcher
	debounce time.Duration

	mu      sync.Mutex
	dirs    map[string]bool
	pending map[string]bool
	last    time.Time     // the latest event
	wake    chan struct{} // signalled on each event (capacity 1)
	errs    []error
	done    chan struct{}
}

// NewWatcher returns a Watcher that waits debounce after the latest event
// (DefaultDebounce when 0). Close releases it.
func NewWatcher(debounce time.Duration) (*Watcher, error) {
	if debounce <= 0 {
		debounce = DefaultDebounce
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{fsw: fsw, debounce: debounce, dirs: map[string]bool{}, pending: map[string]bool{},
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.collect()
	return w, nil
}

// collect moves fsnotify's events into the pending set.
func (w *Watcher) collect() {
	defer close(w.done)
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ev.Op&(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Remove) == 0 {
				continue // chmod alone changes nothing a build reads
			}
			w.mu.Lock()
			w.pending[filepath.Clean(ev.Name)] = true
			w.last = time.Now()
			w.mu.Unlock()
			select {
			case w.wake <- struct{}{}:
			default:
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.mu.Lock()
			w.errs = append(w.errs, err)
			w.mu.Unlock()
		}
	}
}

// ignoredDir reports whether a directory is never watched: dependencies,
// state and version control change without the sources changing.
func ignoredDir(name string) bool {
	return name == "node_modules" || name == ".alchemy" || name == ".git"
}

// AddFiles watches the directories of files (skipping those inside
// node_modules, .alchemy and .git).
func (w *Watcher) AddFiles(files ...string) {
	for _, f := range files {
		w.addDir(filepath.Dir(f))
	}
}

// AddTree watches root and every directory below it but the ignored ones.
func (w *Watcher) AddTree(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && ignoredDir(d.Name()) {
			return filepath.SkipDir
		}
		w.addDir(p)
		return nil
	})
}

func (w *Watcher) addDir(dir string) {
	dir = filepath.Clean(dir)
	for d := dir; ; d = filepath.Dir(d) {
		if ignoredDir(filepath.Base(d)) {
			return
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dirs[dir] {
		return
	}
	if w.fsw.Add(dir) == nil {
		w.dirs[dir] = true
	}
}

// Next waits for changes and returns the paths that changed once no event
// came for the debounce delay. It returns nil when ctx is done.
func (w *Watcher) Next(ctx context.Context) map[string]bool {
	for {
		w.mu.Lock()
		n, quiet := len(w.pending), time.Until(w.last.Add(w.debounce))
		if n > 0 && quiet <= 0 {
			changed := w.pending
			w.pending = map[string]bool{}
			w.mu.Unlock()
			return changed
		}
		w.mu.Unlock()
		var timer <-chan time.Time
		if n > 0 {
			timer = time.After(quiet)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-timer:
		}
	}
}

// Close stops watching.
func (w *Watcher) Close() error {
	err := w.fsw.Close()
	<-w.done
	return err
}
