package messagedb

import (
	"fmt"
	"strings"
	"time"
)

// Skip is a row an import left out with --skip-invalid, or the row that
// stopped it.
type Skip struct {
	GlobalPosition int64  `json:"globalPosition"`
	Reason         string `json:"reason"`
}

// maxListed bounds the skipped rows a summary lists, so a table of mostly
// invalid rows does not fill memory; Skipped still counts them all.
const maxListed = 1000

// Summary is what an import did. It is printed by `import --json`.
type Summary struct {
	Read     int64 `json:"read"`     // rows read from the table
	Imported int64 `json:"imported"` // messages stored
	Skipped  int64 `json:"skipped"`  // invalid rows left out (--skip-invalid)
	// SkippedRows lists the first 1000 skipped rows.
	SkippedRows []Skip `json:"skippedRows"`
	// FirstGPos and LastGPos are the global positions of the first and last
	// message stored; 0 when none was.
	FirstGPos int64  `json:"firstGlobalPosition"`
	LastGPos  int64  `json:"lastGlobalPosition"`
	Elapsed   string `json:"elapsed"` // a Go duration: "2.3s"
	// StoppedAt is the row that stopped an unfinished import, and ResumeFrom
	// the --from-gpos that continues it: every message before is stored.
	StoppedAt  *Skip `json:"stoppedAt,omitempty"`
	ResumeFrom int64 `json:"resumeFrom,omitempty"`
}

func (s *Summary) skip(k Skip) {
	s.Skipped++
	if len(s.SkippedRows) < maxListed {
		s.SkippedRows = append(s.SkippedRows, k)
	}
}

// elapsed formats d: tenths of seconds from one second on, milliseconds below.
func elapsed(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// String is the summary as one line for people.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %d rows, imported %d messages", s.Read, s.Imported)
	if s.Imported > 0 {
		fmt.Fprintf(&b, " (global positions %d to %d)", s.FirstGPos, s.LastGPos)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", skipped %d invalid", s.Skipped)
	}
	fmt.Fprintf(&b, " in %s", s.Elapsed)
	return b.String()
}
