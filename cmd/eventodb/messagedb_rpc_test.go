package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
)

// rpc calls a method of the server at url and decodes its result into out.
func rpc(t *testing.T, url, token string, out any, args ...any) {
	t.Helper()
	if err := call(url, token, out, args...); err != nil {
		t.Fatal(err)
	}
}

// call is rpc for other goroutines than the test's.
func call(url, token string, out any, args ...any) error {
	body, err := json.Marshal(args)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url+"/rpc", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e bytes.Buffer
		_, _ = e.ReadFrom(resp.Body)
		return fmt.Errorf("%s: %d %s", body, resp.StatusCode, e.String())
	}
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s: %w", body, err)
	}
	return nil
}

// served is a message as stream.get or category.get returns it.
type served struct {
	ID, Stream, Type string
	Pos, GPos        int64
	Data, Meta       any // decoded JSON values
	Time             time.Time
}

// categoryGet reads category.get with opts and every message of it.
func categoryGet(t *testing.T, url, token, category string, opts map[string]any) []served {
	t.Helper()
	opts["batchSize"] = -1
	var rows [][]json.RawMessage
	rpc(t, url, token, &rows, "category.get", category, opts)
	out := make([]served, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = decodeServed(r[0], r[1], r[2:]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// streamGet reads every message of a stream with stream.get.
func streamGet(url, token, name string) ([]served, error) {
	var rows [][]json.RawMessage
	if err := call(url, token, &rows, "stream.get", name, map[string]any{"batchSize": -1}); err != nil {
		return nil, err
	}
	quoted, err := json.Marshal(name)
	if err != nil {
		return nil, err
	}
	out := make([]served, len(rows))
	for i, r := range rows {
		if out[i], err = decodeServed(r[0], quoted, r[1:]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// decodeServed reads id, stream and [type, position, globalPosition, data,
// metadata, time].
func decodeServed(id, name json.RawMessage, rest []json.RawMessage) (served, error) {
	var s served
	var at string
	if len(rest) != 6 {
		return s, fmt.Errorf("a message of %d fields", len(rest)+2)
	}
	for i, dst := range []any{&s.ID, &s.Stream} {
		if err := json.Unmarshal([]json.RawMessage{id, name}[i], dst); err != nil {
			return s, err
		}
	}
	for i, dst := range []any{&s.Type, &s.Pos, &s.GPos, &s.Data, &s.Meta, &at} {
		if err := unmarshalNumber(rest[i], dst); err != nil {
			return s, fmt.Errorf("field %d of %s: %w", i, rest, err)
		}
	}
	var err error
	s.Time, err = time.Parse(time.RFC3339Nano, at)
	return s, err
}

func unmarshalNumber(raw []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(dst)
}

// sameServed compares every field of every message with the source rows;
// data and metadata as JSON values.
func sameServed(what string, got []served, want []messagedb.Row) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d messages, want %d", what, len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		var data, meta any
		if err := unmarshalNumber(w.Data, &data); err != nil {
			return err
		}
		if w.Metadata != nil {
			if err := unmarshalNumber(w.Metadata, &meta); err != nil {
				return err
			}
		}
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Pos != w.Position ||
			g.GPos != w.GlobalPosition || !g.Time.Equal(w.Time) ||
			!reflect.DeepEqual(g.Data, data) || !reflect.DeepEqual(g.Meta, meta) {
			return fmt.Errorf("%s, message %d:\n got %+v\nwant %+v (data %s, metadata %s)", what, i, g, w, w.Data, w.Metadata)
		}
	}
	return nil
}

func globalPositions(msgs []served) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.GPos
	}
	return out
}
