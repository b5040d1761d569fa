package importer_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// Large records are imported in batches of at most 8 MiB, whatever BatchSize
// says, so an import's memory stays flat.
func TestImportBatchesLargeRecordsByBytes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{BatchSize: 1000})
	pad := strings.Repeat("x", 900<<10) // under the 1 MiB message limit
	var records []string
	for gpos := int64(1); gpos <= 12; gpos++ {
		records = append(records, strings.Replace(record("big-1", gpos-1, gpos), `"data":{"n":`, `"data":{"pad":"`+pad+`","n":`, 1))
	}
	evs := e.events(t, lines(records...))
	var got []string
	for _, ev := range evs[:len(evs)-1] {
		got = append(got, canon(t, ev))
	}
	want := []string{`{"gpos":10,"imported":10}`, `{"gpos":12,"imported":12}`} // 10 × 900 KiB passes 8 MiB
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("progress = %v, want %v: a batch per 8 MiB", got, want)
	}
}

func TestImportReportsProgressAndDone(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{BatchSize: 3})
	// Out of global order (as a per-category export is), with a blank line
	// and CRLF endings.
	body := lines(
		record("account-1", 0, 2), record("order-1", 0, 1), record("account-1", 1, 4),
		"",
		record("order-1", 1, 3), record("account-2", 0, 7)+"\r", record("account-1", 2, 5),
		`{"id":"00000000-0000-4000-8000-000000000010","stream":"account-2","type":"Later","pos":1,"gpos":10,`+
			`"data":{"x":"<&>"},"meta":{"correlationStreamName":"flow-1"},"time":"2026-01-15T11:30:00.5+01:00"}`,
	)
	evs := e.events(t, body)
	want := []string{
		`{"gpos":4,"imported":3}`,
		`{"gpos":7,"imported":6}`,
		`{"gpos":10,"imported":7}`,
	}
	if len(evs) != 4 {
		t.Fatalf("events = %v, want 3 progress events and done", evs)
	}
	for i, w := range want {
		if got := canon(t, evs[i]); got != w {
			t.Fatalf("event %d = %s, want %s", i, got, w)
		}
	}
	done := evs[3]
	if done["done"] != true || done["imported"] != float64(7) || len(done) != 3 {
		t.Fatalf("last event = %v, want done with 7 imported", done)
	}
	if d, err := time.ParseDuration(done["elapsed"].(string)); err != nil || d < 0 {
		t.Fatalf("elapsed %q is not a duration: %v", done["elapsed"], err)
	}
	msgs := e.all(t)
	var gpos []int64
	for _, m := range msgs {
		gpos = append(gpos, m.GlobalPosition)
	}
	if !reflect.DeepEqual(gpos, []int64{1, 2, 3, 4, 5, 7, 10}) {
		t.Fatalf("stored global positions = %v", gpos)
	}
	first := msgs[1]
	if first.ID != uuidFor(2) || first.Stream != "account-1" || first.Type != "Imported" || first.Position != 0 ||
		string(first.Data) != `{"n":2}` || first.Metadata != nil || !first.Time.Equal(testTime) {
		t.Fatalf("message 2 = %+v", first)
	}
	last := msgs[6]
	if last.Position != 1 || string(last.Data) != `{"x":"<&>"}` || string(last.Metadata) != `{"correlationStreamName":"flow-1"}` ||
		!last.Time.Equal(time.Date(2026, 1, 15, 10, 30, 0, 500000000, time.UTC)) {
		t.Fatalf("message 10 = %+v", last)
	}
	if v, _ := e.store.Version(context.Background(), "tenant", "account-1"); v != 2 {
		t.Fatalf("account-1 version = %d, want 2", v)
	}
	if got := e.pokes.list(); !reflect.DeepEqual(got, []int64{4, 7, 10}) {
		t.Fatalf("notifications = %v, want one per batch with its highest global position", got)
	}
}

func TestImportEmptyBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	evs := e.events(t, "")
	if len(evs) != 1 || evs[0]["done"] != true || evs[0]["imported"] != float64(0) {
		t.Fatalf("events = %v, want done with 0 imported", evs)
	}
}

// A failing line stops the import; every record before it is stored, none after.
func TestImportFailures(t *testing.T) {
	t.Parallel()
	valid := func(gpos int64) string { return record("s-1", gpos-1, gpos) }
	tests := []struct {
		name     string
		preload  []string // imported first
		body     []string
		code     string
		line     float64
		message  string // substring
		imported int    // records of body stored
	}{
		{"malformed JSON", nil, []string{valid(1), valid(2), valid(3), valid(4), `{"id":`, valid(6)}, "INVALID_JSON", 5, "not a JSON record", 4},
		{"not an object", nil, []string{`[1,2]`}, "INVALID_JSON", 1, "", 0},
		{"missing gpos", nil, []string{valid(1), `{"id":"` + uuidFor(9) + `","stream":"s-1","type":"T","pos":1,"data":{},"meta":null,"time":"2026-01-15T10:30:00Z"}`}, "INVALID_JSON", 2, "gpos is required", 1},
		{"missing time", nil, []string{strings.Replace(valid(1), `,"time":"2026-01-15T10:30:00.123456Z"`, "", 1)}, "INVALID_JSON", 1, "time is required", 0},
		{"bad time", nil, []string{strings.Replace(valid(1), `2026-01-15T10:30:00.123456Z`, `yesterday`, 1)}, "INVALID_JSON", 1, "time must be an RFC 3339 time", 0},
		{"bad id", nil, []string{strings.Replace(valid(1), uuidFor(1), "not-a-uuid", 1)}, "INVALID_JSON", 1, "id must be a UUID", 0},
		{"data not an object", nil, []string{strings.Replace(valid(1), `"data":{"n":1}`, `"data":[1]`, 1)}, "INVALID_JSON", 1, "data must be a JSON object", 0},
		{"meta not an object", nil, []string{strings.Replace(valid(1), `"meta":null`, `"meta":"x"`, 1)}, "INVALID_JSON", 1, "meta must be a JSON object or null", 0},
		{"empty stream", nil, []string{record("", 0, 1)}, "INVALID_JSON", 1, "stream must not be empty", 0},
		{"negative pos", nil, []string{record("s-1", -1, 1)}, "INVALID_JSON", 1, "pos must not be negative", 0},
		{"zero gpos", nil, []string{record("s-1", 0, 0)}, "INVALID_JSON", 1, "gpos must be at least 1", 0},
		{"gpos above 2^53-1", nil, []string{record("s-1", 0, 1<<53)}, "INVALID_JSON", 1, "gpos must be at most 9007199254740991", 0},
		{"pos above 2^53-1", nil, []string{record("s-1", 1<<53, 1)}, "INVALID_JSON", 1, "pos must be at most 9007199254740991", 0},
		{"stored global position", []string{record("other-1", 0, 3)}, []string{valid(1), valid(2), valid(3), valid(4)}, "POSITION_EXISTS", 3, "global position 3 already exists", 2},
		{"global position twice in a batch", nil, []string{valid(1), record("t-1", 0, 1)}, "POSITION_EXISTS", 2, "global position 1", 1},
		{"global position twice across batches", nil, []string{valid(1), valid(2), valid(3), valid(4), record("t-1", 0, 2)}, "POSITION_EXISTS", 5, "global position 2", 4},
		{"stored stream position", []string{record("s-1", 0, 9)}, []string{record("s-1", 0, 1)}, "POSITION_EXISTS", 1, `stream "s-1" already has a message at position 0`, 0},
		{"stored id", []string{record("other-1", 0, 1)}, []string{strings.Replace(valid(2), uuidFor(2), uuidFor(1), 1)}, "DUPLICATE_MESSAGE_ID", 1, uuidFor(1), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, service.ImportConfig{BatchSize: 3})
			if tt.preload != nil {
				if evs := e.events(t, lines(tt.preload...)); evs[len(evs)-1]["done"] != true {
					t.Fatalf("preload: %v", evs)
				}
			}
			before := len(e.all(t))
			evs := e.events(t, lines(tt.body...))
			last := evs[len(evs)-1]
			if last["error"] != tt.code || last["line"] != tt.line || len(last) != 3 {
				t.Fatalf("last event = %v, want error %s at line %v", last, tt.code, tt.line)
			}
			if msg, _ := last["message"].(string); !strings.Contains(msg, tt.message) {
				t.Fatalf("message %q lacks %q", msg, tt.message)
			}
			if got := len(e.all(t)) - before; got != tt.imported {
				t.Fatalf("%d records stored, want the %d before line %v", got, tt.imported, tt.line)
			}
			for _, ev := range evs[:len(evs)-1] {
				if _, ok := ev["imported"]; !ok || ev["done"] != nil {
					t.Fatalf("event before the error = %v, want progress", ev)
				}
			}
			if tt.imported > 0 && evs[len(evs)-2]["imported"] != float64(tt.imported) {
				t.Fatalf("progress before the error = %v, want %d imported", evs[len(evs)-2], tt.imported)
			}
		})
	}
}

func TestImportLineTooLong(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{MaxMessageBytes: 100})
	big := strings.Replace(record("s-1", 1, 2), `{"n":2}`, `{"pad":"`+strings.Repeat("x", 70<<10)+`"}`, 1)
	evs := e.events(t, lines(record("s-1", 0, 1), big))
	last := evs[len(evs)-1]
	if last["error"] != "PAYLOAD_TOO_LARGE" || last["line"] != float64(2) {
		t.Fatalf("last event = %v, want PAYLOAD_TOO_LARGE at line 2", last)
	}
	small := strings.Replace(record("s-1", 0, 1), `{"n":1}`, `{"pad":"`+strings.Repeat("x", 200)+`"}`, 1)
	evs = e.events(t, lines(small))
	if last := evs[len(evs)-1]; last["error"] != "PAYLOAD_TOO_LARGE" || last["line"] != float64(1) {
		t.Fatalf("last event = %v, want PAYLOAD_TOO_LARGE at line 1 for a message over the limit", last)
	}
}

// Errors before the event stream starts are ordinary JSON error responses.
func TestImportAuthErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	tests := []struct {
		name   string
		header string
		status int
		code   string
	}{
		{"no token", "", 401, "AUTH_REQUIRED"},
		{"unknown token", "Bearer ns_dGVuYW50_" + strings.Repeat("0", 64), 401, "AUTH_INVALID"},
		{"malformed token", "Bearer nope", 401, "AUTH_INVALID"},
		{"not a bearer token", "Basic abc", 401, "AUTH_INVALID"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodPost, e.url, strings.NewReader(lines(record("s-1", 0, 1))))
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var env struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != "application/json" ||
			json.Unmarshal(body, &env) != nil || env.Error.Code != tt.code || env.Error.Message == "" {
			t.Errorf("%s: %d %s %s, want %d %s", tt.name, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.status, tt.code)
		}
	}
	if n := len(e.all(t)); n != 0 {
		t.Fatalf("refused requests stored %d messages", n)
	}
}

func TestImportMissingNamespace(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	// The token stays valid in the auth cache; the storage is gone.
	if evs := e.events(t, ""); len(evs) != 1 {
		t.Fatalf("warm-up: %v", evs)
	}
	if _, err := e.store.Delete(context.Background(), "tenant"); err != nil {
		t.Fatal(err)
	}
	resp := e.post(t, e.tenant, strings.NewReader(lines(record("s-1", 0, 1))))
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(string(body), `{"error":{"code":"NAMESPACE_NOT_FOUND"`) {
		t.Fatalf("import into a deleted namespace = %d %s, want 404 NAMESPACE_NOT_FOUND", resp.StatusCode, body)
	}
}

// Progress is sent while the body is still being read: the server neither
// waits for the whole body nor holds it.
func TestImportStreamsBothWays(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{BatchSize: 2})
	pr, pw := io.Pipe()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.url, pr)
	req.Header.Set("Authorization", "Bearer "+e.tenant)
	type result struct {
		resp *http.Response
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		got <- result{resp, err}
	}()
	if _, err := io.WriteString(pw, lines(record("s-1", 0, 1), record("s-1", 1, 2))); err != nil {
		t.Fatal(err)
	}
	res := <-got
	if res.err != nil {
		t.Fatal(res.err)
	}
	defer res.resp.Body.Close()
	r := newEventReader(res.resp.Body)
	if ev := r.next(t); canon(t, ev) != `{"gpos":2,"imported":2}` {
		t.Fatalf("first event = %v", ev)
	}
	// The body is still open: the first batch was imported before its end.
	if _, err := io.WriteString(pw, lines(record("s-1", 2, 3))); err != nil {
		t.Fatal(err)
	}
	_ = pw.Close()
	if ev := r.next(t); canon(t, ev) != `{"gpos":3,"imported":3}` {
		t.Fatalf("second event = %v", ev)
	}
	if ev := r.next(t); ev["done"] != true || ev["imported"] != float64(3) {
		t.Fatalf("third event = %v", ev)
	}
}

func TestImportedMessagesKeepStreamVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	e.events(t, lines(record("s-1", 0, 5), record("s-1", 1, 6)))
	res, err := e.store.Append(context.Background(), "tenant", stream.Append{
		Stream: "s-1", Messages: []stream.Proposed{{ID: uuidFor(100), Type: "T", Data: []byte(`{}`)}},
		ExpectedVersion: stream.ExactVersion(1),
	})
	if err != nil || res.Position != 2 || res.GlobalPosition != 7 {
		t.Fatalf("append after import = %+v, %v; want position 2, global position 7", res, err)
	}
}

// A failure early in a long body ends the request without reading the rest,
// and the server goes on serving the client's next requests.
func TestImportStopsEarlyInALongBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	var b strings.Builder
	b.WriteString("not json\n")
	for i := range 20000 {
		b.WriteString(record("s-1", int64(i), int64(i+1)) + "\n")
	}
	for range 3 {
		evs := e.events(t, b.String())
		if len(evs) != 1 || evs[0]["error"] != "INVALID_JSON" || evs[0]["line"] != float64(1) {
			t.Fatalf("events = %v, want INVALID_JSON at line 1", evs)
		}
	}
	if evs := e.events(t, lines(record("s-1", 0, 1))); evs[len(evs)-1]["done"] != true {
		t.Fatalf("import after early stops = %v", evs)
	}
}

// A client that asks for "100 Continue" gets it before it sends the body.
func TestImportExpectContinue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	conn, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(e.url, "/import"), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Minute)) // a hang fails instead of blocking the suite
	body := lines(record("s-1", 0, 1))
	fmt.Fprintf(conn, "POST /import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", e.tenant, len(body))
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(status, "HTTP/1.1 100 ") {
		t.Fatalf("first answer %q, %v; want 100 Continue", status, err)
	}
	if blank, err := r.ReadString('\n'); err != nil || blank != "\r\n" {
		t.Fatalf("100 Continue ended by %q, %v", blank, err)
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("response %v, %v", resp, err)
	}
	defer resp.Body.Close()
	er := newEventReader(resp.Body)
	if ev := er.next(t); canon(t, ev) != `{"gpos":1,"imported":1}` {
		t.Fatalf("event = %v", ev)
	}
	if ev := er.next(t); ev["done"] != true {
		t.Fatalf("event = %v", ev)
	}
}
