package interchange_test

import (
	"fmt"
	"time"
)

// record is one NDJSON line for message gpos of streamName at pos.
func record(streamName string, pos, gpos int64) string {
	return fmt.Sprintf(`{"id":"%s","stream":%q,"type":"Imported","pos":%d,"gpos":%d,"data":{"n":%d},"meta":null,"time":"2026-01-15T10:30:00.123456Z"}`,
		uuidFor(gpos), streamName, pos, gpos, gpos)
}

func uuidFor(gpos int64) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", gpos) }

var testTime = time.Date(2026, 1, 15, 10, 30, 0, 123456000, time.UTC)
