package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// ErrInUse is returned by Open when the data directory is already open, by
// another process or by another store of this one. The files have one owner
// at a time: each namespace's writer trusts its memory of positions and
// versions, which only holds while nobody else appends to the files.
var ErrInUse = errors.New("the SQLite data is in use")

// owned holds the paths open stores own in this process. Another process is
// kept out by the unix-excl VFS's lock instead (see open).
var owned = struct {
	sync.Mutex
	paths map[string]bool
}{paths: map[string]bool{}}

// own claims the registry file and the namespaces directory of cfg for one
// store, and returns the function that gives them back.
func own(cfg Config) (release func(), err error) {
	var paths []string
	for _, p := range []string{cfg.RegistryPath, filepath.Join(cfg.DataDir, "namespaces")} {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		paths = append(paths, abs)
	}
	owned.Lock()
	defer owned.Unlock()
	for _, p := range paths {
		if owned.paths[p] {
			return nil, fmt.Errorf("%w: %s is already open in this process", ErrInUse, p)
		}
	}
	for _, p := range paths {
		owned.paths[p] = true
	}
	// Once: a second Close must not free paths a newer store owns.
	return sync.OnceFunc(func() {
		owned.Lock()
		defer owned.Unlock()
		for _, p := range paths {
			delete(owned.paths, p)
		}
	}), nil
}

// lockedByOther turns the error of opening the registry while another
// process holds it into ErrInUse.
func lockedByOther(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrBusy {
		return fmt.Errorf("%w: %s is locked by another process (%w)", ErrInUse, path, err)
	}
	return err
}
