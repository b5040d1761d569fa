package messagedb

import "sync"

// lineIndex remembers the global position of every record line written to
// the sink until the sink confirms it stored that line, so that a failure
// naming a line can name its message and the position to resume from. Only
// the lines in flight are held (a batch and what the pipe and connection
// buffer), so memory stays flat. Safe for concurrent use: the feeder adds
// while the sink confirms.
type lineIndex struct {
	mu          sync.Mutex
	base        int64   // line number of gpos[0]
	gpos        []int64 // lines base, base+1, … not confirmed yet
	written     int64   // lines written so far
	first, last int64   // global positions of the first and last line written
}

// add records the next line, holding global position g.
func (l *lineIndex) add(g int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.written == 0 {
		l.base, l.first = 1, g
	}
	l.written++
	l.last = g
	l.gpos = append(l.gpos, g)
}

// confirm forgets lines 1..n: the sink stored them.
func (l *lineIndex) confirm(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k := n - l.base + 1; k > 0 {
		k = min(k, int64(len(l.gpos)))
		l.gpos = l.gpos[k:]
		l.base += k
	}
}

// at returns the global position of an unconfirmed line.
func (l *lineIndex) at(line int64) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	i := line - l.base
	if line < 1 || i < 0 || i >= int64(len(l.gpos)) {
		return 0, false
	}
	return l.gpos[i], true
}

// span returns how many lines were written and the global positions of the
// first and last.
func (l *lineIndex) span() (written, first, last int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.written, l.first, l.last
}
