package transfer

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// IsTerminal reports whether f (a reader or writer) is a terminal: where a
// progress display helps instead of cluttering a log, and where a question
// can be answered.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// Meter shows progress on one line that it rewrites in place, at most ten
// times a second. A disabled Meter writes nothing. Not safe for concurrent use.
type Meter struct {
	w       io.Writer
	verb    string // "exported", "imported"
	enabled bool
	start   time.Time
	shown   time.Time
	n, gpos int64
}

// NewMeter returns a meter writing to w when enabled.
func NewMeter(w io.Writer, verb string, enabled bool) *Meter {
	now := time.Now()
	return &Meter{w: w, verb: verb, enabled: enabled, start: now}
}

// Update records n messages done, the last at global position gpos.
func (m *Meter) Update(n, gpos int64) {
	m.n, m.gpos = n, gpos
	if !m.enabled {
		return
	}
	if now := time.Now(); now.Sub(m.shown) >= 100*time.Millisecond {
		m.shown = now
		m.show("")
	}
}

// Finish shows the final count and ends the line.
func (m *Meter) Finish() {
	if m.enabled {
		m.show("\n")
	}
}

func (m *Meter) show(end string) {
	secs := time.Since(m.start).Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(m.n) / secs
	}
	// \r returns to the line start, \033[K clears what a longer line left.
	_, _ = fmt.Fprintf(m.w, "\r\033[K%s %d messages (global position %d, %.0f/s)%s", m.verb, m.n, m.gpos, rate, end)
}
