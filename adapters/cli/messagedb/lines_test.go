package messagedb

import "testing"

func TestLineIndexForgetsConfirmedLines(t *testing.T) {
	t.Parallel()
	var l lineIndex
	for _, g := range []int64{5, 7, 8, 20, 21} {
		l.add(g)
	}
	tests := []struct {
		confirmed int64 // lines the sink confirmed before the lookup
		line      int64
		want      int64 // 0: not known
	}{
		{0, 1, 5}, {0, 4, 20}, {0, 5, 21}, {0, 6, 0}, {0, 0, 0},
		{2, 2, 0}, {2, 3, 8}, {2, 5, 21},
		{1, 3, 8}, // confirming less than before changes nothing
		{5, 5, 0},
	}
	for _, tt := range tests {
		l.confirm(tt.confirmed)
		got, ok := l.at(tt.line)
		if ok != (tt.want != 0) || got != tt.want {
			t.Fatalf("after confirming %d, line %d = %d, %v; want %d", tt.confirmed, tt.line, got, ok, tt.want)
		}
	}
	if n, first, last := l.span(); n != 5 || first != 5 || last != 21 {
		t.Fatalf("span = %d, %d, %d", n, first, last)
	}
	l.add(30)
	if got, ok := l.at(6); !ok || got != 30 {
		t.Fatalf("line 6 after confirming 5 = %d, %v", got, ok)
	}
}
