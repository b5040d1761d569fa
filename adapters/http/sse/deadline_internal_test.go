package sse

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder is a response writer that records the write deadlines
// set on it through http.ResponseController.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

func newDeadlineConn(stall time.Duration) (*conn, *deadlineRecorder) {
	rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
	var w http.ResponseWriter = rec
	return &conn{w: w, rc: http.NewResponseController(w), stall: stall}, rec
}

func TestWritesRunUnderAStallDeadline(t *testing.T) {
	const stall = time.Minute
	c, rec := newDeadlineConn(stall)
	before := time.Now()
	if _, err := c.Write([]byte("data: 1\n\n")); err != nil {
		t.Fatal(err)
	}
	if len(rec.deadlines) != 1 {
		t.Fatalf("deadlines set by the first write: %d, want 1", len(rec.deadlines))
	}
	if d := rec.deadlines[0]; d.Before(before.Add(stall)) || d.After(time.Now().Add(stall)) {
		t.Errorf("first deadline %v is not stall (%v) after the write", d, stall)
	}
	// Writes soon after keep that deadline: it still has more than half to go.
	for range 100 {
		if _, err := c.Write([]byte("data: 2\n\n")); err != nil {
			t.Fatal(err)
		}
		if err := c.flush(); err != nil {
			t.Fatal(err)
		}
	}
	if len(rec.deadlines) != 1 {
		t.Errorf("deadlines set by 200 writes within the first half of the stall: %d, want 1", len(rec.deadlines))
	}
}

func TestStallDeadlineMovesOnceHalfOfItPassed(t *testing.T) {
	const stall = 40 * time.Millisecond
	c, rec := newDeadlineConn(stall)
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(stall/2 + 5*time.Millisecond)
	before := time.Now()
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	if len(rec.deadlines) != 2 {
		t.Fatalf("deadlines set: %d, want 2 (the second once half the stall passed)", len(rec.deadlines))
	}
	if d := rec.deadlines[1]; d.Before(before.Add(stall)) {
		t.Errorf("moved deadline %v is less than stall after the write at %v", d, before)
	}
}

func TestCloseAndDoneSetTheirDeadlines(t *testing.T) {
	c, rec := newDeadlineConn(time.Minute)
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	c.done()
	if got := rec.deadlines[len(rec.deadlines)-1]; !got.IsZero() {
		t.Errorf("done left deadline %v, want none", got)
	}
	// After done, the next write arms a fresh deadline instead of trusting
	// the one done lifted.
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	if got := rec.deadlines[len(rec.deadlines)-1]; got.IsZero() {
		t.Error("a write after done runs without a deadline")
	}
	c.close()
	if got := rec.deadlines[len(rec.deadlines)-1]; got.After(time.Now().Add(closeGrace)) {
		t.Errorf("close set deadline %v, later than closeGrace from now", got)
	}
	if err := c.flush(); err != errClosed {
		t.Errorf("flush after close: %v, want errClosed", err)
	}
}

func TestNoStallNoDeadline(t *testing.T) {
	c, rec := newDeadlineConn(0)
	if err := c.flush(); err != nil {
		t.Fatal(err)
	}
	if len(rec.deadlines) != 0 {
		t.Errorf("deadlines set with stall 0: %d, want none", len(rec.deadlines))
	}
}
