package loadgen

import (
	"fmt"
	"strings"
)

// Scenario names what a run measures.
type Scenario string

// The scenarios. Write, Read, Category and Mixed are one row each with
// Config.Concurrency workers; All is the guide's benchmark table: stream
// write, stream read and category read with one worker each, then
// concurrent writes with Config.Concurrency workers.
const (
	// Write sends stream.write of single messages to streams
	// bench-<run>-<worker>-<i%100>.
	Write Scenario = "write"
	// Read sends stream.get of a stream pre-filled with Batch messages.
	Read Scenario = "read"
	// Category sends category.get of a category pre-filled with Batch
	// messages over ten streams.
	Category Scenario = "category"
	// Mixed sends 80% writes (as Write) and 20% reads (as Read).
	Mixed Scenario = "mixed"
	// All runs the rows of the guide's table in turn.
	All Scenario = "all"
)

// Scenarios lists every scenario, in the order of the help text.
func Scenarios() []Scenario { return []Scenario{Write, Read, Category, Mixed, All} }

// ParseScenario returns the scenario named s.
func ParseScenario(s string) (Scenario, error) {
	names := make([]string, 0, len(Scenarios()))
	for _, sc := range Scenarios() {
		if string(sc) == s {
			return sc, nil
		}
		names = append(names, string(sc))
	}
	return "", &ConfigError{"scenario", fmt.Sprintf("must be one of %s, got %q", strings.Join(names, ", "), s)}
}

// op is the kind of request a row sends.
type op int

const (
	opWrite op = iota
	opRead
	opCategory
	opMixed
)

func (o op) String() string {
	return [...]string{"write", "read", "category", "mixed"}[o]
}

// rowSpec is one row to measure.
type rowSpec struct {
	op      op
	workers int
}

// name is the row's label, the one of the guide's table where there is one.
func (s rowSpec) name(batch int) string {
	switch s.op {
	case opWrite:
		if s.workers == 1 {
			return "stream.write (single)"
		}
		return fmt.Sprintf("concurrent writes (%d)", s.workers)
	case opRead:
		return fmt.Sprintf("stream.get (%d messages)", batch)
	case opCategory:
		return fmt.Sprintf("category.get (%d messages)", batch)
	default:
		return "mixed 80% write / 20% read"
	}
}

// plan returns the rows of scenario sc.
func plan(sc Scenario, concurrency int) []rowSpec {
	switch sc {
	case Write:
		return []rowSpec{{opWrite, concurrency}}
	case Read:
		return []rowSpec{{opRead, concurrency}}
	case Category:
		return []rowSpec{{opCategory, concurrency}}
	case Mixed:
		return []rowSpec{{opMixed, concurrency}}
	default:
		return []rowSpec{{opWrite, 1}, {opRead, 1}, {opCategory, 1}, {opWrite, concurrency}}
	}
}
